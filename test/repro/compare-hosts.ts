import { RUN_ID } from '../../kit/transport/command-line.js';
import type { ExecRequest, Transport } from '../../kit/transport/types.js';
import type { CompareOptions } from '../../repro/compare/compare.js';
import { guardScript, installRestore } from '../../repro/mitigations/host-io.js';
import { hostStateScript, parseHostState } from '../../repro/mitigations/host-state.js';
import { restoreScriptPath } from '../../repro/mitigations/restore-paths.js';
import { type SysctlName, sysctlPath } from '../../repro/mitigations/settings.js';
import type { Variant } from '../../repro/mitigations/types.js';
import { parseVariant } from '../../repro/mitigations/variant-spec.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import { type Answer, type FakeCall, keyOf, type Reply } from '../fakes/fake-transport.js';
import * as h from './run-hosts.js';

// `repro compare` between the two fake hosts of run-hosts.ts. The receiver,
// vmB, keeps its settings in a table (as the host-state capture,
// test/fakes/captures/mitigation-state-vmB.txt, found them) and answers the
// apply and restore scripts by doing what their lines say: a value is written
// only when it differs, then read back. Its restore script and its guard
// behave as on a host: the guard, when its connection closes, runs the
// script if it is still there.
//
// The fake names scripts it does not know `unrecognised` (SCRIPT_NAMES in
// fake-transport.ts), so the new ones are keyed by their step alone; each
// answer checks that it got the script it expects.

export const STATE = 'mitigation plan: unrecognised script';
export const GUARD = 'restore guard: unrecognised script';
export const APPLY = 'apply: unrecognised script';
export const RESTORE = 'restore: unrecognised script';

export const NETNS = 'net:[4026532241]';
export const SCRIPT = restoreScriptPath(RUN_ID, '4026532241');
export const REMOVE = `rm -f ${SCRIPT} ${SCRIPT.replace(/\.sh$/, '.log')}`;
// The install is an argv (`sh -c INSTALL sh PATH`, the script on stdin): its
// key, taken from the real request.
export const INSTALL = installKey(SCRIPT);

function installKey(path: string): string {
  let req: ExecRequest | undefined;
  const t = {
    info: { name: 'key' },
    exec: async (r: ExecRequest) => {
      req = r;
      return { exitCode: 0, stderr: '', stdout: Buffer.alloc(0) };
    },
  } as unknown as Transport;
  void installRestore(t, path, '');
  if (!req?.argv) throw new Error('installRestore sent no argv');
  return keyOf(req);
}

export const STATE_VMB = capture('mitigation-state-vmB.txt');

// The capture with a real `ethtool -g` in place of the veth's error, wrapped
// as the host-state script prints it.
export function withRing(text: string, ethtoolG: string): string {
  const kept = text.split('\n').filter((l) => l && !/^ring(\.rc)?\t/.test(l));
  const ring = ethtoolG
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `ring\t${l}`);
  return [...kept, 'ring.rc\t0', ...ring, ''].join('\n');
}

export const ENA_RING = fixture('ethtool_g/ena-aws-ens5-tabs-na.txt');

// The doctor's probe on vmB as a login that is not root and whose sudo wants
// a password (the lab's dklab user): the captured probe with those three keys
// changed.
export const PROBE_VMB_NO_SUDO = capture('probe-vmB.txt')
  .replace(/^user\troot$/m, 'user\tdklab')
  .replace(/^uid\t0$/m, 'uid\t64123')
  .replace(/^sudo\troot$/m, 'sudo\tpassword');

// The words of a line the way sh reads them, for the forms shellQuote makes:
// bare words and '…' (with '\'' for a quote).
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\') {
      cur += line[++i] ?? '';
      inWord = true;
    } else if (c === ' ') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

// One host's settings, by path (`ring:IFACE` for a ring), and what happened
// to them, in order.
export class HostSettings {
  readonly values = new Map<string, string>();
  readonly events: string[] = [];
  // Writes of these `path=value` do not take (a setting the kernel refuses).
  readonly refused = new Set<string>();
  // The restore script on the host, while it is there.
  script: string | undefined;
  // What the apply and restore scripts printed, in order.
  readonly readbacks: string[] = [];

  constructor(stateText: string, iface = 'eth0') {
    const s = parseHostState(stateText);
    for (const [name, v] of Object.entries(s.sysctls))
      this.values.set(sysctlPath(name as SysctlName), v.value);
    for (const q of s.rps)
      this.values.set(`/sys/class/net/${iface}/queues/${q.queue}/rps_cpus`, q.mask);
    if (typeof s.ring?.current.rx === 'number')
      this.values.set(`ring:${iface}`, String(s.ring.current.rx));
  }

  // Runs the setting lines of an apply or restore script: `file PATH VALUE NS
  // LABEL` and `ring IFACE VALUE LABEL`. Exit 1 when a value did not take.
  run(script: string, who: string): Reply {
    let rc = 0;
    const out: string[] = [];
    for (const l of script.split('\n')) {
      const w = shellWords(l);
      let key: string;
      let value: string;
      let label: string;
      let ns = '';
      if (w[0] === 'file' && w.length === 5)
        [, key, value, ns, label] = w as [string, string, string, string, string];
      else if (w[0] === 'ring' && w.length === 4) {
        [, key, value, label] = w as [string, string, string, string];
        key = `ring:${key}`;
      } else continue;
      if (this.values.get(key) !== value && !this.refused.has(`${key}=${value}`)) {
        this.values.set(key, value);
        this.events.push(`${who}: ${key}${ns ? ` (ns ${ns})` : ''} = ${value}`);
      }
      const now = this.values.get(key) ?? '';
      out.push(`${label}\t${now}\n`);
      if (now !== value) rc = 1;
    }
    const stdout = out.join('');
    this.readbacks.push(stdout);
    return { stdout, exitCode: rc };
  }

  // The answers of a host that takes changes.
  answers(expectedIface = 'eth0', stateText = STATE_VMB): Record<string, Answer> {
    return {
      [STATE]: (call) => {
        if (call.req.script !== hostStateScript(expectedIface))
          return { stderr: 'not the host-state script', exitCode: 99 };
        return { stdout: stateText };
      },
      [INSTALL]: (call) => {
        this.script = String(call.req.stdin ?? '');
        this.events.push(`install ${call.req.argv?.at(-1)}`);
        return {};
      },
      [GUARD]: async (call) => {
        if (call.req.script !== guardScript(SCRIPT))
          return { stderr: 'not the guard of the restore script', exitCode: 99 };
        this.events.push('guard started');
        call.emit('ready\n');
        const end = await call.ended;
        // As on the host: stopped by its tie, it runs the script if still there.
        if (this.script !== undefined) {
          const r = this.run(this.script, 'guard');
          this.events.push(`guard ran the script: exit ${r.exitCode}`);
          if (r.exitCode === 0) this.script = undefined;
        }
        this.events.push(`guard ${end}`);
        return {};
      },
      [APPLY]: (call) => this.run(call.req.script ?? '', 'apply'),
      [RESTORE]: (call) => this.run(call.req.script ?? '', 'restore'),
      [REMOVE]: () => {
        this.script = undefined;
        this.events.push(`remove ${SCRIPT}`);
        return {};
      },
    };
  }
}

// Traffic for several runs over the same connections: each server starts a
// round that its client ends (run-hosts.ts's Traffic ends once).
export class Rounds {
  serverUp = false;
  // Servers started so far: the 1-based number of the round under way.
  n = 0;
  private finish: () => void = () => undefined;
  private clientDone: Promise<'done'> = Promise.resolve('done');

  start(): Promise<'done'> {
    this.n++;
    this.clientDone = new Promise((r) => {
      this.finish = () => r('done');
    });
    return this.clientDone;
  }

  done(): void {
    this.finish();
  }
}

function server(rounds: Rounds): Answer {
  return async (call) => {
    const clientDone = rounds.start();
    rounds.serverUp = true;
    const why = await Promise.race([clientDone, call.ended]);
    rounds.serverUp = false;
    const file = why === 'done' ? 'udp-burst-P2-server.json' : 'sigterm-server.json';
    return { stdout: fixture(`iperf3/${file}`) };
  };
}

// The client: round `during` (if any) sees `act` happen while it sends (a
// Ctrl-C, a lost host) and runs until stopped; the others end at once.
function client(rounds: Rounds, during?: { round: number; act: (call: FakeCall) => void }): Answer {
  return async (call) => {
    if (during && rounds.n === during.round) {
      during.act(call);
      await call.ended;
      rounds.done();
      return { stdout: fixture('iperf3/sigterm-client.json') };
    }
    rounds.done();
    return { stdout: fixture('iperf3/udp-burst-P2-client.json') };
  };
}

export interface ComparePair extends h.Pair {
  rounds: Rounds;
  // vmB's settings.
  b: HostSettings;
}

export function comparePair(
  o: {
    stateText?: string;
    during?: (p: () => ComparePair) => { round: number; act: (call: FakeCall) => void };
    vmA?: Record<string, Answer>;
    vmB?: (b: HostSettings) => Record<string, Answer>;
  } = {},
): ComparePair {
  const stateText = o.stateText ?? STATE_VMB;
  const rounds = new Rounds();
  const b = new HostSettings(stateText);
  let cp: ComparePair | undefined;
  const during = o.during?.(() => cp!);
  const p = h.pair({
    vmA: () => ({ [h.CLIENT]: client(rounds, during), ...o.vmA }),
    vmB: () => ({
      [h.SERVER]: server(rounds),
      [h.PORT_CHECK]: () => ({
        stdout: capture(rounds.serverUp ? 'proc-net-vmB-iperf3-5201.txt' : 'proc-net-vmB-idle.txt'),
      }),
      ...b.answers('eth0', stateText),
      ...o.vmB?.(b),
    }),
  });
  cp = { ...p, rounds, b };
  return cp;
}

export function variants(...specs: string[]): Variant[] {
  return specs.map((s) => {
    const p = parseVariant(s);
    if ('error' in p) throw new Error(p.error);
    return p.variant;
  });
}

export function compareOptions(
  p: ComparePair,
  specs: string[],
  over: Partial<CompareOptions> = {},
): CompareOptions & { progress: ReturnType<typeof h.recordedProgress> } {
  const { progress: _p, ...rest } = over;
  return {
    ...h.options(p),
    variants: variants(...specs),
    repeat: 1,
    order: 'interleaved',
    ...rest,
    progress: h.recordedProgress(),
  };
}
