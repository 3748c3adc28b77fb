import { terminalField } from '../terminal-text.js';
import { LocalTransport } from './local.js';
import type { SshConnectOptions } from './ssh-connect.js';
import type { Transport } from './types.js';

export interface OpenOptions {
  sshConfig?: string[];
  acceptNewHostKey?: boolean;
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
  // Where ssh config warnings go; stderr, each line once, when not given.
  warn?: (line: string) => void;
}

// A config warning is about a file line or a host's setting, and the line says
// which: a run that connects to many hosts (or to one several times) shows
// each once.
const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`warning: ${terminalField(line)}\n`);
}

// What a fleet's connections share (fleet-opener.ts); a single host has none.
export type SharedConnections = Pick<SshConnectOptions, 'jumps' | 'handshakes'>;

export async function openTransport(
  spec: string | 'local',
  opts: OpenOptions,
  shared: SharedConnections = {},
): Promise<Transport> {
  if (spec === 'local') return new LocalTransport();
  // Loaded on demand: ssh2 costs ~60 ms of startup that --local never needs.
  const { connectSsh } = await import('./ssh-connect.js');
  // The caller's config files come first (the CLI adds the lab's while it is
  // up: the transport knows nothing of the lab); resolveTarget then reads
  // ~/.ssh/config and /etc/ssh/ssh_config, as OpenSSH does.
  return connectSsh(spec, {
    ...opts,
    ...shared,
    warn: opts.warn ?? warnOnce,
    configFiles: opts.sshConfig ?? [],
  });
}

// Opens one host's connection: openTransport in the CLI, a fake in tests.
export type Opener = (spec: string) => Promise<Transport>;

export type Opened = { spec: string; transport: Transport } | { spec: string; error: unknown };

// Connects to every host at once; one failure never stops the others.
export async function openAll(specs: readonly string[], open: Opener): Promise<Opened[]> {
  return Promise.all(
    specs.map(async (spec) => {
      try {
        return { spec, transport: await open(spec) };
      } catch (error) {
        return { spec, error };
      }
    }),
  );
}
