import { describe, expect, it } from 'vitest';
import { CappedChunks } from '../../../kit/transport/capped-chunks.js';
import { LocalTransport } from '../../../kit/transport/local.js';

describe('stderr is capped', () => {
  it('keeps the first bytes and says how many were dropped', () => {
    const c = new CappedChunks(5);
    c.push(Buffer.from('abc'));
    c.push(Buffer.from('defg'));
    c.push(Buffer.from('hij'));
    expect(c.text()).toBe('abcde\n[dropkit: 5 more bytes of stderr not kept]\n');
  });

  it('a command that floods stderr keeps 1 MiB of it', async () => {
    const r = await new LocalTransport().exec({
      argv: ['sh', '-c', 'head -c 8000000 /dev/zero | tr "\\0" x >&2; echo done'],
    });
    expect(r.stdout.toString()).toBe('done\n');
    expect(r.stderr.length).toBeLessThan((1 << 20) + 100);
    expect(r.stderr).toMatch(/\[dropkit: 6951424 more bytes of stderr not kept\]/);
  });
});
