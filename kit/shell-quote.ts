// POSIX single-quote quoting: the only form that is safe for every byte
// except NUL, under dash, bash and busybox sh alike.
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('argument contains a NUL byte');
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
