import type { Phase } from './profile-types.js';

// iperf3 3.12 command lines as argv arrays: never a shell string, so nothing
// here needs quoting. The flags are checked against `iperf3 --help` of 3.12:
// -1 (one-off), --get-server-output, --bidir (3.7+), -b RATE/BURST.

export interface ServerArgvOptions {
  port: number;
  bindAddress?: string;
  // Serve one test and exit: nothing is left listening after a run.
  oneOff?: boolean;
  json?: boolean;
  // Exit when no client came for this long (with oneOff, iperf3 3.12 exits 0).
  idleTimeoutS?: number;
  program?: string;
}

export interface ClientArgvOptions {
  serverAddress: string;
  port: number;
  // Overrides the phase's -t.
  duration?: number;
  json?: boolean;
  // The server's own JSON, embedded as server_output_json: the receiver's view.
  getServerOutput?: boolean;
  bindAddress?: string;
  // -i: seconds between interval reports (iperf3 default 1).
  interval?: number;
  connectTimeoutMs?: number;
  program?: string;
}

function checkPort(port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`port must be 1-65535, got ${port}`);
  }
  return String(port);
}

// An address that starts with "-" would be read as a flag.
function checkAddress(what: string, address: string): string {
  if (address === '' || address.startsWith('-') || /\s/.test(address)) {
    throw new RangeError(`${what} "${address}" is not a host address`);
  }
  return address;
}

export function serverArgv(o: ServerArgvOptions): string[] {
  const argv = [o.program ?? 'iperf3', '-s'];
  if (o.oneOff ?? true) argv.push('-1');
  if (o.json ?? true) argv.push('-J');
  argv.push('-p', checkPort(o.port));
  if (o.bindAddress !== undefined) argv.push('-B', checkAddress('bind address', o.bindAddress));
  if (o.idleTimeoutS !== undefined) argv.push('--idle-timeout', String(o.idleTimeoutS));
  return argv;
}

// The flags that shape the traffic, without -c/-p/-J/-t: repro.sh composes
// its own client line around them (its duration comes from $DURATION).
export function phaseTrafficArgs(phase: Phase): string[] {
  const argv: string[] = [];
  if (phase.protocol === 'udp') argv.push('-u');
  if (phase.bitrate !== null) {
    argv.push('-b', phase.burst === null ? phase.bitrate : `${phase.bitrate}/${phase.burst}`);
  }
  argv.push('-P', String(phase.streams));
  if (phase.length !== null) argv.push('-l', String(phase.length));
  if (phase.reverse) argv.push('-R');
  if (phase.bidir) argv.push('--bidir');
  if (phase.window !== null) argv.push('-w', phase.window);
  argv.push(...phase.extraArgs);
  return argv;
}

export function clientArgv(phase: Phase, o: ClientArgvOptions): string[] {
  const argv = [o.program ?? 'iperf3', '-c', checkAddress('server address', o.serverAddress)];
  argv.push('-p', checkPort(o.port));
  if (o.json ?? true) argv.push('-J');
  if (o.getServerOutput ?? true) argv.push('--get-server-output');
  if (o.bindAddress !== undefined) argv.push('-B', checkAddress('bind address', o.bindAddress));
  if (o.connectTimeoutMs !== undefined) argv.push('--connect-timeout', String(o.connectTimeoutMs));
  if (o.interval !== undefined) argv.push('-i', String(o.interval));
  argv.push(...phaseTrafficArgs(phase));
  const duration = o.duration ?? phase.duration;
  if (!Number.isInteger(duration) || duration < 1) {
    throw new RangeError(`duration must be a positive integer, got ${duration}`);
  }
  argv.push('-t', String(duration));
  return argv;
}
