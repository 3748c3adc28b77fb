import { createInterface } from 'node:readline/promises';

// A yes/no question on the terminal; anything but y or yes is no. Callers
// ask only when stdin is a terminal (off one, --yes must say it up front).
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(`${question} [y/N] `));
  } finally {
    rl.close();
  }
}
