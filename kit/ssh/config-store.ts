// The "first obtained value wins" store of OpenSSH's readconf.c, remembering where each value
// came from so that a refusal can cite the file and line that caused it.

import type { ConfigOrigin } from './config-match.js';

interface Obtained {
  /** `undefined` marks "obtained, but explicitly none". */
  value: string[] | undefined;
  /** Absent for values dropkit sets itself (the host name before the final pass). */
  origin: ConfigOrigin | undefined;
}

export class FirstWins {
  private readonly values = new Map<string, Obtained>();

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): string[] | undefined {
    return this.values.get(key)?.value;
  }

  origin(key: string): ConfigOrigin | undefined {
    return this.values.get(key)?.origin;
  }

  offer(key: string, value: string[] | undefined, origin?: ConfigOrigin): void {
    if (!this.values.has(key)) this.values.set(key, { value, origin });
  }
}
