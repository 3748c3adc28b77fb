// The only file I/O for known_hosts: reading a list of files and appending one line.
// Existing lines are never rewritten, so a concurrent ssh(1) cannot lose entries.

import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ParsedKnownHosts, parseKnownHosts } from './known-hosts-parse.js';

/** Reads and parses each file; missing files are skipped silently, unreadable ones warn. */
export async function loadKnownHosts(files: string[]): Promise<ParsedKnownHosts> {
  const result: ParsedKnownHosts = { entries: [], warnings: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        result.warnings.push(`${file}: cannot read: ${(err as Error).message}`);
      }
      continue;
    }
    const parsed = parseKnownHosts(text, file);
    result.entries.push(...parsed.entries);
    result.warnings.push(...parsed.warnings);
  }
  return result;
}

/**
 * Appends `line` plus a newline to a known_hosts file, creating the directory (0700) and
 * the file (0600) when missing. If the file lacks a final newline one is added first, so
 * the previous last entry is not corrupted.
 */
export async function appendKnownHost(file: string, line: string): Promise<void> {
  if (/[\r\n]/.test(line)) throw new Error('known_hosts line must not contain a newline');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    // One write call in append mode keeps the line atomic with respect to other appenders.
    await handle.write(`${prefix}${line}\n`);
  } finally {
    await handle.close();
  }
}
