import { describe, expect, it } from 'vitest';
import type { Section } from '../../../collectors/snapshot/frames.js';
import { failureReason } from '../../../collectors/snapshot/source-status.js';

const sec = (exitCode: number | null, stderr: string, truncated = false): Section => ({
  id: 'x',
  stdout: Buffer.alloc(0),
  stderr,
  exitCode,
  truncated,
});

describe('why a source failed', () => {
  it.each([
    [sec(0, ''), undefined],
    [sec(124, ''), 'timed out after 5 s'],
    [
      sec(127, "timeout: failed to run command 'ethtool': No such file or directory"),
      'tool missing',
    ],
    [sec(127, 'sh: 1: ethtool: not found'), 'tool missing'],
    [sec(1, 'cat: /etc/resolv.conf: No such file or directory'), 'file not present'],
    [sec(1, 'sudo: a password is required'), 'needs root: sudo wants a password'],
    [sec(1, 'cat: /proc/net/x: Permission denied'), 'permission denied'],
    [sec(1, 'netlink error: Operation not supported'), 'not supported by the driver'],
    [sec(76, 'Cannot get stats: No such device'), 'interface vanished during the snapshot'],
    [sec(3, 'boom'), 'exit 3: boom'],
    [sec(null, '', true), 'output truncated: the snapshot script was interrupted'],
  ])('%#', (s, reason) => {
    expect(failureReason(s, 5)).toBe(reason);
  });
});
