// Which ports are taken on a host, from /proc/net/{tcp,tcp6,udp,udp6}: ss and
// netstat are not everywhere, /proc/net is. iperf3 uses one number for its TCP
// control connection and its UDP data, so a port must be free in both. Pure.

export const PORTS_SCRIPT =
  'cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null; exit 0';

export function busyPorts(procNet: string): Set<number> {
  const busy = new Set<number>();
  for (const line of procNet.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st ...; TCP LISTEN is 0A; a bound UDP socket is 07.
    const local = f[1];
    const st = f[3];
    if (!local || !st || !/^[0-9A-F]+:[0-9A-F]{4}$/i.test(local)) continue;
    if (st !== '0A' && st !== '07') continue;
    busy.add(Number.parseInt(local.split(':')[1]!, 16));
  }
  return busy;
}

export function pickPort(busy: Set<number>, first = 5201, last = 5299): number | undefined {
  for (let p = first; p <= last; p++) if (!busy.has(p)) return p;
  return undefined;
}
