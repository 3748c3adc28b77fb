import type { AdviceFor } from '../context.js';
import { packets } from '../numbers.js';
import { SOMAXCONN_CAP, somaxconnTarget, sysctlInt } from '../sysctl-values.js';
import { configEvidence, SYSCTL_FILE, topCounters, when } from './text.js';

const SOMAXCONN = 'net.core.somaxconn';
const SYN_BACKLOG = 'net.ipv4.tcp_max_syn_backlog';

// SOCKET, cause `listen`: TcpExt ListenOverflows / ListenDrops. A listening socket's accept
// queue (completed handshakes the application has not accept()ed yet) was full, so the kernel
// dropped the SYN or the handshake's last ACK; the client retransmits after a second or more.
// The queue holds min(the backlog the application passed to listen(), net.core.somaxconn).
export const listenAdvice: AdviceFor = (ctx, g, f) => {
  const current = sysctlInt(ctx.after.sysctls, SOMAXCONN);
  const syn = sysctlInt(ctx.after.sysctls, SYN_BACKLOG);
  const target = somaxconnTarget(current);
  const config = [
    ...(current === undefined ? [] : [configEvidence(SOMAXCONN, current)]),
    ...(syn === undefined ? [] : [configEvidence(SYN_BACKLOG, syn)]),
  ];
  const caveats = [
    "The accept queue is min(the backlog the application passes to listen(), net.core.somaxconn): raise the application's backlog too (nginx `listen ... backlog=N`, a server's backlog option) and restart it, or it keeps its old queue. Go and some runtimes pass somaxconn itself.",
    'An accept queue that stays full means the application accepts too slowly (busy acceptor thread, too few workers): a longer queue absorbs bursts of connections, not a slow application.',
  ];

  const checks = [
    'ss -ltn   # per listening socket: Recv-Q = connections waiting to be accepted, Send-Q = the accept queue limit',
    'nstat -az TcpExtListenOverflows TcpExtListenDrops',
  ];
  // Unknown is not the default: a host tuned above the target would be told to lower it.
  const mitigation =
    current === undefined
      ? {
          summary: `Read ${SOMAXCONN} first (not collected), then allow longer accept queues: 4 times it, at least 16384, and raise the listen() backlog of the application that overflows (ss -ltn shows which).`,
          commands: [],
          checks: [`sysctl ${SOMAXCONN}`, ...checks],
          persistent: [],
          caveats,
        }
      : target === undefined
        ? {
            summary: `${SOMAXCONN} is already ${current} (cap ${SOMAXCONN_CAP}): the application accepts connections too slowly; add acceptor threads or workers.`,
            commands: [],
            checks,
            persistent: [],
            caveats,
          }
        : {
            summary: `Allow longer accept queues: ${SOMAXCONN}=${target}, and raise the listen() backlog of the application that overflows (ss -ltn shows which).`,
            commands: [`sysctl -w ${SOMAXCONN}=${target}`],
            checks,
            persistent: [`${SOMAXCONN} = ${target}`],
            persistentPath: SYSCTL_FILE,
            caveats,
          };
  return {
    title: `${packets(f.packets)} dropped: TCP listen (accept) queue full (somaxconn=${current ?? '?'})`,
    explanation: `Listening TCP sockets on ${ctx.host} had full accept queues ${when(ctx, f)}: ${topCounters(g.members)}. The kernel dropped connection attempts (the SYN or the handshake's last ACK) because the application did not accept() fast enough for its listen backlog; clients see connect delays of a second or more while they retransmit. This is not the socket receive buffer (rmem): it is the queue of new connections.`,
    mitigation,
    config,
    ...(current === undefined ? { unknown: [SOMAXCONN] } : {}),
  };
};
