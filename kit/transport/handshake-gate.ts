import { Semaphore } from '../semaphore.js';

// The bound on SSH handshakes a fleet has in flight at once, jump hosts and
// targets alike. sshd's MaxStartups (default 10:30:100) starts refusing
// unauthenticated connections past 10, and a bastion in front of a fleet sees
// every one of them: a slot covers opening the socket (a forwarded channel or
// a ProxyCommand) up to the end of authentication, never the wait for a jump
// host, which would deadlock a fleet whose slots all wait on one jump.

export interface GateStats {
  handshakes: number;
  peakInFlight: number;
}

export class HandshakeGate {
  private readonly slots: Semaphore;
  private inFlight = 0;
  private started = 0;
  private peak = 0;

  constructor(readonly limit: number) {
    this.slots = new Semaphore(limit);
  }

  // Holds one slot while `fn` opens a connection and handshakes over it.
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots.run(fn);
  }

  // Called where ssh2 starts a handshake; the returned function where it ends
  // (ready or failed), once. The counters are what happened, not what the
  // slots allowed: a test can see the bound hold.
  begin(): () => void {
    this.started++;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
    };
  }

  stats(): GateStats {
    return { handshakes: this.started, peakInFlight: this.peak };
  }
}
