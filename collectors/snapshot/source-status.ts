import type { Section } from './frames.js';

// Why a section failed, in the words a support engineer expects: the
// source's own (`explain`, spec.ts) when it has some, else the generic ones.
// Pure.
export function failureReason(
  s: Section,
  timeoutSec: number,
  explain?: (stderr: string) => string | undefined,
): string | undefined {
  if (s.truncated) return 'output truncated: the snapshot script was interrupted';
  if (s.exitCode === 0) return undefined;
  const err = s.stderr;
  if (s.exitCode === 124) return `timed out after ${timeoutSec} s`;
  const own = explain?.(err);
  if (own) return own;
  // 127: the shell (or timeout: "failed to run command") found no such program.
  if (s.exitCode === 127 || /failed to run command|: not found/i.test(err)) return 'tool missing';
  if (/password is required|terminal is required/.test(err))
    return 'needs root: sudo wants a password';
  if (/Permission denied|Operation not permitted/i.test(err)) return 'permission denied';
  if (/Operation not supported|not supported|no stats available/i.test(err))
    return 'not supported by the driver';
  if (/No such file or directory/i.test(err)) return 'file not present';
  if (/No such device/i.test(err)) return 'interface vanished during the snapshot';
  return `exit ${s.exitCode ?? 'unknown'}${err ? `: ${err.split('\n')[0]!.slice(0, 120)}` : ''}`;
}
