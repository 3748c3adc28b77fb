import type { Section } from '../../../collectors/snapshot/frames.js';

// One framed section of a snapshot's output, as frames.ts parses it: for
// tests that build snapshots from captures without running the script.
export const section = (id: string, text: string, iface?: string, exitCode = 0): Section => ({
  id,
  ...(iface !== undefined ? { iface } : {}),
  stdout: Buffer.from(text),
  stderr: '',
  exitCode,
  truncated: false,
});
