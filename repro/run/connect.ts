import { type Opener, openAll } from '../../kit/transport/open.js';
import type { Transport } from '../../kit/transport/types.js';

export interface Connected {
  // By position, as the specs were given; missing where the host failed.
  transports: Array<Transport | undefined>;
  // The first host that failed, in spec order.
  failed?: { spec: string; error: unknown };
}

// Connects to every host at once: one failure never stops the others, and the
// connections that did open are returned so the cleanup can close them.
export async function connect(open: Opener, specs: readonly string[]): Promise<Connected> {
  const opened = await openAll(specs, open);
  const failed = opened.find((x) => 'error' in x);
  return {
    transports: opened.map((x) => ('transport' in x ? x.transport : undefined)),
    ...(failed && 'error' in failed ? { failed: { spec: failed.spec, error: failed.error } } : {}),
  };
}
