import { describe, expect, it } from 'vitest';
import { isValidIfaceName, shownName } from '../../../collectors/iface-name.js';

describe('interface names, by the kernel rule (dev_valid_name)', () => {
  it('takes the names real hosts have', () => {
    for (const n of [
      'lo',
      'eth0',
      'enP30832s1',
      'veth1a2b3c4d',
      'br-0123456789ab',
      'eth0.100',
      'a',
      'wlp2s0@x',
      'x'.repeat(15),
    ])
      expect(isValidIfaceName(n), n).toBe(true);
  });

  it('refuses what the kernel refuses, control characters, and 16 bytes or more', () => {
    const bad = [
      '',
      '.',
      '..',
      'a/b',
      '../../etc',
      'eth0:1',
      'a b',
      'a\tb',
      'a\nb',
      'a\u000bb',
      'a\u000cb',
      'a\rb',
      'esc\u001b[31m',
      'del\u007f',
      'nul\u0000',
      'x'.repeat(16),
      // 2 bytes each in UTF-8: 8 of them make 16.
      'é'.repeat(8),
      // U+00E0 is C3 A0 in UTF-8: the kernel's isspace() counts 0xA0.
      'à',
      'bad\ufffd',
    ];
    for (const n of bad) expect(isValidIfaceName(n), JSON.stringify(n)).toBe(false);
    expect(isValidIfaceName('é'.repeat(7))).toBe(true);
  });

  it('shows a host-sent name quoted, escaped and cut short', () => {
    expect(shownName('eth0')).toBe('"eth0"');
    expect(shownName('a\u001b[2Jb\n')).toBe('"a\\u001b[2Jb\\n"');
    expect(shownName('c1\u009bx\u202e')).toBe('"c1\\u009bx\\u202e"');
    expect(shownName('x'.repeat(500)).length).toBeLessThan(140);
  });
});
