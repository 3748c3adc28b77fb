// SIGKILL to a process a test listed a moment ago: one that has ended in
// between (ESRCH) is what the test wanted anyway.
export function killIfAlive(pid: number | string): void {
  try {
    process.kill(Number(pid), 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
