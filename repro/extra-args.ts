import { parseRate } from './units.js';

// The iperf3 client flags a profile may add through `extraArgs`. Everything
// else is refused: flags that set the rate, the duration or the direction
// would bypass the profile fields and the caps; flags that name files (-F,
// --logfile, -I) or change the output (-J, -V, -T) would write to the host or
// break the JSON we parse.

type ValueCheck = (v: string) => boolean;

interface FlagSpec {
  names: string[];
  // undefined: the flag takes no value.
  value?: { what: string; ok: ValueCheck };
}

const int = (lo: number, hi: number): ValueCheck => {
  return (v) => /^\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi;
};

const ALLOWED: FlagSpec[] = [
  { names: ['-N', '--no-delay'] },
  { names: ['-Z', '--zerocopy'] },
  { names: ['-4', '--version4'] },
  { names: ['-6', '--version6'] },
  { names: ['--udp-counters-64bit'] },
  { names: ['--repeating-payload'] },
  { names: ['--dont-fragment'] },
  {
    names: ['-C', '--congestion'],
    value: { what: 'a congestion control name', ok: (v) => /^[a-z][a-z0-9_]{0,15}$/.test(v) },
  },
  { names: ['-M', '--set-mss'], value: { what: 'an MSS in bytes (88-9216)', ok: int(88, 9216) } },
  {
    names: ['-S', '--tos'],
    value: {
      what: 'a TOS value 0-255',
      ok: (v) => /^(0x[0-9a-f]{1,2}|0[0-7]{0,3}|[1-9]\d{0,2})$/i.test(v) && Number(v) <= 255,
    },
  },
  { names: ['--dscp'], value: { what: 'a DSCP value or name', ok: (v) => /^\w{1,8}$/.test(v) } },
  { names: ['-L', '--flowlabel'], value: { what: 'a flow label', ok: int(0, 0xfffff) } },
  {
    names: ['-i', '--interval'],
    value: {
      what: 'seconds (0.1-60)',
      ok: (v) => /^\d+(\.\d+)?$/.test(v) && +v >= 0.1 && +v <= 60,
    },
  },
  {
    names: ['--pacing-timer'],
    value: { what: 'microseconds', ok: int(1, 1_000_000) },
  },
  // --fq-rate only ever lowers the rate (kernel fq pacing), so it cannot bypass the cap.
  {
    names: ['--fq-rate'],
    value: { what: 'a rate such as 1G', ok: (v) => (parseRate(v) ?? 0) > 0 },
  },
  {
    names: ['--connect-timeout'],
    value: { what: 'milliseconds', ok: int(1, 600_000) },
  },
  {
    names: ['-A', '--affinity'],
    value: { what: 'CPU numbers n or n,m', ok: (v) => /^\d{1,4}(,\d{1,4})?$/.test(v) },
  },
];

// Flags that a profile field already covers: say which field to use.
const USE_FIELD: Record<string, string> = {
  '-u': 'protocol',
  '--udp': 'protocol',
  '-b': 'bitrate (and burst)',
  '--bitrate': 'bitrate (and burst)',
  '-P': 'streams',
  '--parallel': 'streams',
  '-l': 'length',
  '--length': 'length',
  '-t': 'duration',
  '--time': 'duration',
  '-n': 'duration',
  '--bytes': 'duration',
  '-k': 'duration',
  '--blockcount': 'duration',
  '-R': 'reverse',
  '--reverse': 'reverse',
  '--bidir': 'bidir',
  '-w': 'window',
  '--window': 'window',
};

const BY_NAME = new Map(ALLOWED.flatMap((s) => s.names.map((n) => [n, s] as const)));

export const ALLOWED_EXTRA_FLAGS: readonly string[] = ALLOWED.map((s) => s.names.join('/'));

export interface ExtraArgsProblem {
  // Index into the extraArgs list of the item at fault.
  index: number;
  reason: string;
}

// Accepts ["-C", "bbr"] and ["--congestion=bbr"]; returns the first problem.
export function checkExtraArgs(args: readonly string[]): ExtraArgsProblem | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const field = USE_FIELD[name];
    if (field) return { index: i, reason: `"${name}" is set by the profile field ${field}` };
    const spec = BY_NAME.get(name);
    if (!spec) {
      return {
        index: i,
        reason: `"${arg}" is not an allowed iperf3 flag (allowed: ${ALLOWED_EXTRA_FLAGS.join(', ')})`,
      };
    }
    if (!spec.value) {
      if (eq > 0) return { index: i, reason: `"${name}" takes no value` };
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || !spec.value.ok(value)) {
      return {
        index: Math.min(i, args.length - 1),
        reason: `"${name}" needs ${spec.value.what}, got ${value === undefined ? 'nothing' : `"${value}"`}`,
      };
    }
  }
  return undefined;
}
