// A counting semaphore: bounds concurrent work (channels per SSH connection,
// hosts in flight) without a dependency.
export class Semaphore {
  private waiting: Array<() => void> = [];
  private active = 0;

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released slot is handed straight to the next waiter (active is not
    // decremented in between): a caller arriving in the meantime queues
    // instead of slipping past, so the limit holds and order is FIFO.
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
