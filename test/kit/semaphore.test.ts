import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../kit/semaphore.js';

describe('Semaphore', () => {
  it('hands a freed slot to the waiter: a caller arriving meanwhile queues', async () => {
    const sem = new Semaphore(1);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const enter = (id: number) => {
      running++;
      peak = Math.max(peak, running);
      order.push(id);
    };
    const work = async (id: number) => {
      enter(id);
      await null;
      running--;
    };
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = sem.run(() => {
      enter(1);
      held.then(() => running--);
      return held;
    });
    const second = sem.run(() => work(2)); // queued
    // Runs in the same microtask turn as the release, before the queued
    // caller resumes: the moment a slot used to look free.
    let third: Promise<void> | undefined;
    held.then(() => {
      third = sem.run(() => work(3));
    });
    release();
    await Promise.all([first, second]);
    await third;
    expect(peak).toBe(1);
    expect(order).toEqual([1, 2, 3]);
  });
});
