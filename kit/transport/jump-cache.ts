import type { Client } from 'ssh2';

// Jump-host connections shared by every host behind them in one fleet run:
// one connection per hop chain (`a`, then `a,b`), whatever the number of
// targets. The Promise is what is kept, so targets that ask at once wait for
// one handshake instead of racing to make their own. A hop that failed or
// died stays in the cache with its reason: every later target behind it fails
// at once, naming it, instead of each spending a connect timeout on a
// bastion that has just gone (a fleet run reports; it does not retry).
// Only types come from ssh2 here: the module loads without it.

export interface HopConnection {
  client: Client;
  // Ends what the connection brought with it (its ProxyCommand).
  stop?: () => void;
}

// How long `end` waits for the server to close the connection.
const END_WAIT_MS = 2000;

export class SharedHop {
  private error: Error | undefined;
  private closed = false;
  private readonly onLost: Array<() => void> = [];

  constructor(
    // The hop as ProxyJump names it.
    readonly name: string,
    readonly client: Client,
    private readonly stop?: () => void,
  ) {
    // After 'ready', an error (keepalive timeout, reset) is followed by
    // 'close'; the error is the better reason.
    client.on('error', (e) => {
      this.error ??= e;
    });
    client.once('close', () => {
      this.closed = true;
      this.stop?.();
      for (const l of this.onLost.splice(0)) l();
    });
  }

  // Why the connection is gone, or undefined while it is up.
  lost(): Error | undefined {
    if (!this.closed) return undefined;
    return this.error ?? new Error('its connection closed');
  }

  // The loss, if it comes within `ms`: a target's channel can report its end
  // before the jump host's own connection does.
  lostWithin(ms: number): Promise<Error | undefined> {
    if (this.closed) return Promise.resolve(this.lost());
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        resolve(this.lost());
      };
      const t = setTimeout(() => {
        this.onLost.splice(this.onLost.indexOf(done), 1);
        resolve(undefined);
      }, ms);
      t.unref();
      this.onLost.push(done);
    });
  }

  async end(): Promise<void> {
    if (!this.closed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, END_WAIT_MS);
        this.onLost.push(() => {
          clearTimeout(t);
          resolve();
        });
        this.client.end();
      });
    }
    this.stop?.();
  }
}

export class JumpCache {
  private readonly hops = new Map<string, Promise<SharedHop>>();
  private opened = 0;
  private closed = false;

  // The connection to the last hop of `chain`, made by `connect` only if no
  // target asked for this chain before.
  hop(chain: readonly string[], connect: () => Promise<HopConnection>): Promise<SharedHop> {
    const key = JSON.stringify(chain);
    const known = this.hops.get(key);
    if (known) return known;
    if (this.closed) return Promise.reject(new Error('the shared jump connections are closed'));
    this.opened++;
    const made = connect().then((c) => new SharedHop(chain.at(-1) ?? '', c.client, c.stop));
    // Each caller handles the failure; the cached copy must not count as unhandled.
    made.catch(() => undefined);
    this.hops.set(key, made);
    return made;
  }

  // Jump-host connections attempted so far.
  connections(): number {
    return this.opened;
  }

  // Ends every connection, the deepest hops first: they are carried by the
  // earlier ones.
  async close(): Promise<void> {
    this.closed = true;
    const settled = await Promise.allSettled([...this.hops.values()]);
    const live = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const hop of live.reverse()) await hop.end();
  }
}
