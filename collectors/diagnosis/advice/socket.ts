import type { AdviceFor } from '../context.js';
import type { Mitigation } from '../finding.js';
import { packets } from '../numbers.js';
import type { Observation } from '../observation.js';
import { rmemTarget, sysctlInt, sysctlTriple } from '../sysctl-values.js';
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
  if (udp) mitigations.push(udpMitigation(rmemMax, sysctlInt(ctx.after.sysctls, RMEM_DEFAULT)));
  if (tcp) mitigations.push(tcpMitigation(tcpRmem));
  return {
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

function tcpMitigation(current: [number, number, number] | undefined): Mitigation {
  const [min, def, max] = current ?? [4096, 131072, 6291456];
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
    ...(current ? {} : { caveats: [`${TCP_RMEM} was not collected; the defaults were assumed.`] }),
  };
}

function merge(ms: readonly Mitigation[]): Mitigation {
  const caveats = ms.flatMap((m) => m.caveats ?? []);
  const path = ms.find((m) => m.persistentPath)?.persistentPath;
  return {
    summary: ms.map((m) => m.summary).join(' '),
    commands: ms.flatMap((m) => m.commands),
    persistent: ms.flatMap((m) => m.persistent),
    ...(path ? { persistentPath: path } : {}),
    ...(caveats.length ? { caveats } : {}),
  };
}
