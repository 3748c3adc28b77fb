// Timeout and abort handling shared by both transports. When the deadline
// passes or the signal fires, `reap` kills the command's processes on the
// host (by tag) before `detach` drops the channel or child, so nothing keeps
// running after we stop waiting for it.

export interface Running<T> {
  done: Promise<T>;
  detach: () => void;
}

export interface DeadlineOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  reap: () => Promise<void>;
}

export async function withDeadline<T>(
  running: Running<T>,
  opts: DeadlineOptions,
): Promise<{ value?: T; timedOut: boolean; aborted: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<'timeout' | 'abort'>((resolve) => {
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
    if (opts.signal) {
      if (opts.signal.aborted) resolve('abort');
      onAbort = () => resolve('abort');
      opts.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    const first = await Promise.race([running.done.then((value) => ({ value })), stop]);
    if (typeof first === 'object') return { value: first.value, timedOut: false, aborted: false };
    await opts.reap().catch(() => undefined);
    running.detach();
    // The command usually ends on its own once reaped; take its output if so.
    const late = await Promise.race([
      running.done.then((value) => ({ value })),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref()),
    ]);
    return { value: late?.value, timedOut: first === 'timeout', aborted: first === 'abort' };
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
}
