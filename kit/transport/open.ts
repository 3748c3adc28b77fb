import { LocalTransport } from './local.js';
import type { Transport } from './types.js';

export interface OpenOptions {
  sshConfig?: string[];
  acceptNewHostKey?: boolean;
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
}

// The config files in precedence order: what the caller passed (the CLI adds
// the lab's while it is up, so vmA/vmB resolve: the transport knows nothing
// of the lab). resolveTarget then adds ~/.ssh/config and /etc/ssh/ssh_config,
// as OpenSSH reads them, so that a system-wide ProxyJump or ProxyCommand is
// never bypassed.
export function configFiles(opts: OpenOptions): string[] {
  return [...(opts.sshConfig ?? [])];
}

export async function openTransport(spec: string | 'local', opts: OpenOptions): Promise<Transport> {
  if (spec === 'local') return new LocalTransport();
  // Loaded on demand: ssh2 costs ~60 ms of startup that --local never needs.
  const { connectSsh } = await import('./ssh-connect.js');
  return connectSsh(spec, { ...opts, configFiles: configFiles(opts) });
}

export type Opened = { spec: string; transport: Transport } | { spec: string; error: unknown };

// Connects to every host at once; one failure never stops the others.
export async function openAll(specs: string[], opts: OpenOptions): Promise<Opened[]> {
  return Promise.all(
    specs.map(async (spec) => {
      try {
        return { spec, transport: await openTransport(spec, opts) };
      } catch (error) {
        return { spec, error };
      }
    }),
  );
}
