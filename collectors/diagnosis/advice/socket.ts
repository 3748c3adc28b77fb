import { thousands } from '../../../kit/thousands.js';
import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import type { TestSocket } from '../input.js';
import { packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { pow2AtLeast, RMEM_FLOOR, rmemTarget, sysctlInt, sysctlTriple } from '../sysctl-values.js';
import { listenAdvice } from './listen.js';
import { configEvidence, SYSCTL_FILE, topCounters, when } from './text.js';

const RMEM_MAX = 'net.core.rmem_max';
const RMEM_DEFAULT = 'net.core.rmem_default';
const TCP_RMEM = 'net.ipv4.tcp_rmem';

// SOCKET: the packet reached its socket and the socket's receive buffer was full. The NIC
// and the backlog did their job; the reader was too slow or its buffer too small.
// A full accept queue (ListenOverflows) is a finding of its own, with its own fix.
export const socketAdvice: AdviceFor = (ctx, g, f) => {
  if (g.cause === 'listen') return listenAdvice(ctx, g, f);
  const tcp = g.members.some(isTcp);
  const udp = g.members.some((o) => !isTcp(o));
  const rmemMax = sysctlInt(ctx.after.sysctls, RMEM_MAX);
  const tcpRmem = sysctlTriple(ctx.after.sysctls, TCP_RMEM);
  const config = [
    ...(rmemMax === undefined ? [] : [configEvidence(RMEM_MAX, rmemMax)]),
    ...(tcp && tcpRmem ? [configEvidence(TCP_RMEM, tcpRmem.join(' '))] : []),
  ];
  const mitigations: Mitigation[] = [];
  const rmemDefault = sysctlInt(ctx.after.sysctls, RMEM_DEFAULT);
  const sockets = ctx.sockets ?? [];
  if (udp)
    mitigations.push(
      sockets.length
        ? testSocketMitigation(sockets, rmemMax, rmemDefault)
        : udpMitigation(rmemMax, rmemDefault),
    );
  if (tcp) mitigations.push(tcpMitigation(tcpRmem));
  const unknown = [
    ...(udp && rmemMax === undefined ? [RMEM_MAX] : []),
    ...(tcp && tcpRmem === undefined ? [TCP_RMEM] : []),
  ];
  return {
    ...(unknown.length ? { unknown } : {}),
    title: `${packets(f.packets)} dropped: socket receive buffer full`,
    explanation: `Applications on ${ctx.host} did not read their sockets fast enough ${when(ctx, f)}: ${topCounters(g.members)}. The packets reached the socket and were dropped there, not at the NIC or the backlog.`,
    mitigation: merge(mitigations),
    config,
  };
};

function isTcp(o: Observation): boolean {
  return o.area === 'snmp' ? o.key.startsWith('TCP') : /tcp/i.test(o.name);
}

function udpMitigation(current: number | undefined, rmemDefault: number | undefined): Mitigation {
  // Unknown is not the default: a host tuned above the target would be told to lower it.
  if (current === undefined)
    return {
      summary: `Read ${RMEM_MAX} first (it was not collected), then allow larger socket receive buffers: 4 times its value, at least ${RMEM_FLOOR}, and have the application request one with SO_RCVBUF.`,
      commands: [],
      checks: [`sysctl ${RMEM_MAX} ${RMEM_DEFAULT}`],
      persistent: [],
    };
  const target = rmemTarget(current);
  const caveats = [
    `rmem_max only caps what a socket may ask for: the application must set SO_RCVBUF (setsockopt(SOL_SOCKET, SO_RCVBUF); iperf3 -w). Sockets that do not set it get net.core.rmem_default (${rmemDefault ?? 'not collected'}); raising that costs memory on every socket.`,
  ];
  if (target === undefined) {
    return {
      summary: `${RMEM_MAX} is already ${current}: the reader is too slow; add reader threads (SO_REUSEPORT) or spread the flows.`,
      commands: [],
      persistent: [],
      caveats,
    };
  }
  return {
    summary: `Allow larger socket receive buffers: ${RMEM_MAX}=${target}, and have the application request one with SO_RCVBUF.`,
    commands: [`sysctl -w ${RMEM_MAX}=${target}`],
    persistent: [`${RMEM_MAX} = ${target}`],
    persistentPath: SYSCTL_FILE,
    caveats,
  };
}

// The test's own receiving socket is known (iperf3's rcvbuf_actual): the fix follows from what
// it asked for and what it got, never from an assumed buffer. The kernel sets SO_RCVBUF to
// twice min(asked, rmem_max); a socket that asks nothing gets rmem_default.
function testSocketMitigation(
  sockets: readonly TestSocket[],
  rmemMax: number | undefined,
  rmemDefault: number | undefined,
): Mitigation {
  // The smallest buffer is the one that overflowed first.
  const s = [...sockets].sort((a, b) => a.rcvbufBytes - b.rcvbufBytes)[0]!;
  const got = `${s.owner} ran with a receive buffer of ${bytes(s.rcvbufBytes)} (rcvbuf_actual)`;
  const asked = s.askedBytes ?? 0;
  if (asked === 0) {
    const want = Math.max(RMEM_FLOOR, pow2AtLeast(s.rcvbufBytes * 4));
    const target = Math.max(rmemTarget(rmemMax) ?? rmemMax ?? 0, want);
    return {
      summary: `${got}: it asked for none (no -w, no SO_RCVBUF), so it got net.core.rmem_default${rmemDefault === undefined ? '' : ` (${rmemDefault})`} and rmem_max does not apply to it. Have it ask (iperf3 -w ${mib(want)}; setsockopt SO_RCVBUF) and allow that: ${RMEM_MAX}=${target}.`,
      commands: rmemMax !== undefined && rmemMax >= want ? [] : [`sysctl -w ${RMEM_MAX}=${target}`],
      persistent: rmemMax !== undefined && rmemMax >= want ? [] : [`${RMEM_MAX} = ${target}`],
      persistentPath: SYSCTL_FILE,
      caveats: [
        `Raising ${RMEM_MAX} alone changes nothing for a socket that does not ask: run the receiver with -w ${mib(want)} (or set SO_RCVBUF in the application). Raising ${RMEM_DEFAULT} instead gives every socket that buffer, at a memory cost on each.`,
      ],
    };
  }
  if (s.rcvbufBytes < 2 * asked) {
    const target = Math.max(pow2AtLeast(asked), rmemTarget(rmemMax) ?? 0);
    return {
      summary: `${got}: it asked for ${bytes(asked)} (-w / SO_RCVBUF) and ${RMEM_MAX}${rmemMax === undefined ? '' : ` (${rmemMax})`} capped it. Raise ${RMEM_MAX} to ${target} so it gets what it asks.`,
      commands: [`sysctl -w ${RMEM_MAX}=${target}`],
      persistent: [`${RMEM_MAX} = ${target}`],
      persistentPath: SYSCTL_FILE,
    };
  }
  const more = pow2AtLeast(asked * 4);
  return {
    summary: `${got}: it got the ${bytes(asked)} it asked for (-w / SO_RCVBUF) and still overflowed, so raising ${RMEM_MAX} alone changes nothing for it. Ask for more (iperf3 -w ${mib(more)}) with ${RMEM_MAX} at least ${more}, or read faster (more reader threads, SO_REUSEPORT).`,
    commands: rmemMax !== undefined && rmemMax >= more ? [] : [`sysctl -w ${RMEM_MAX}=${more}`],
    persistent: rmemMax !== undefined && rmemMax >= more ? [] : [`${RMEM_MAX} = ${more}`],
    persistentPath: SYSCTL_FILE,
  };
}

// 212992 → `212,992 bytes`; sizes for -w in MiB (`8M`).
function bytes(n: number): string {
  return `${thousands(n)} bytes`;
}
function mib(n: number): string {
  return `${Math.max(1, Math.ceil(n / (1024 * 1024)))}M`;
}

function tcpMitigation(current: [number, number, number] | undefined): Mitigation {
  if (current === undefined)
    return {
      summary: `Read ${TCP_RMEM} first (it was not collected), then let TCP autotuning grow receive buffers: its third value 4 times higher, at least ${RMEM_FLOOR}.`,
      commands: [],
      checks: [`sysctl ${TCP_RMEM}`],
      persistent: [],
    };
  const [min, def, max] = current;
  const target = rmemTarget(max);
  if (target === undefined) {
    return {
      summary: `TCP receive buffers already reach ${max} bytes: the reader is too slow.`,
      commands: [],
      persistent: [],
    };
  }
  const value = `${min} ${def} ${target}`;
  return {
    summary: `Let TCP autotuning grow receive buffers to ${target} bytes.`,
    commands: [`sysctl -w ${TCP_RMEM}="${value}"`],
    persistent: [`${TCP_RMEM} = ${value}`],
    persistentPath: SYSCTL_FILE,
  };
}

function merge(ms: readonly Mitigation[]): Mitigation {
  const caveats = ms.flatMap((m) => m.caveats ?? []);
  const checks = ms.flatMap((m) => m.checks ?? []);
  const path = ms.find((m) => m.persistentPath)?.persistentPath;
  return {
    summary: ms.map((m) => m.summary).join(' '),
    commands: ms.flatMap((m) => m.commands),
    ...(checks.length ? { checks } : {}),
    persistent: ms.flatMap((m) => m.persistent),
    ...(path ? { persistentPath: path } : {}),
    ...(caveats.length ? { caveats } : {}),
  };
}
