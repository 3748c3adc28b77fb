import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_BYTES, takeSnapshot } from '../../../collectors/snapshot/take.js';
import type { ExecRequest, ExecResult, Transport } from '../../../kit/transport/types.js';

// A host that never stops printing: the snapshot stops reading at its cap,
// stops the host's script, and keeps the sections that arrived whole.
function floodingHost(): Transport & { sent: number } {
  const host = {
    kind: 'ssh' as const,
    sent: 0,
    info: {
      name: 'flood',
      address: '127.0.0.1',
      port: 22,
      user: 'root',
      isRoot: true,
      authMethod: 'publickey' as const,
      via: [],
      connectMs: 1,
    },
    async exec(req: ExecRequest): Promise<ExecResult> {
      const b = /DKB-[0-9a-f]+/.exec(req.script ?? '')![0];
      const ns = '1700000000000000000';
      const out: Buffer[] = [];
      const push = (c: Buffer) => {
        out.push(c);
        host.sent += c.length;
        req.onStdout?.(c);
      };
      push(
        Buffer.from(
          `${b} begin uname - ${ns}\nLinux h 6.1.0 x86_64\n${b} end uname - rc=0 ns=${ns}\n`,
        ),
      );
      push(Buffer.from(`${b} begin interrupts - ${ns}\n`));
      const chunk = Buffer.alloc(1 << 20, 0x78);
      // Bounded here too: the test must end even if the cap were missing.
      while (!req.signal?.aborted && host.sent < 4 * MAX_SNAPSHOT_BYTES) {
        push(chunk);
        await new Promise((r) => setImmediate(r));
      }
      return {
        stdout: Buffer.concat(out),
        stderr: '',
        exitCode: null,
        signal: null,
        durationMs: 1,
        timedOut: false,
        aborted: !!req.signal?.aborted,
      };
    },
    close: async () => undefined,
    onClose: () => () => undefined,
    sweep: async () => '',
  };
  return host;
}

describe('a host that floods its output', () => {
  it('is cut off at the cap; what arrived is kept, and the snapshot says why', async () => {
    const t = floodingHost();
    const taken = await takeSnapshot(t);
    expect(t.sent).toBeLessThan(MAX_SNAPSHOT_BYTES + 2 * (1 << 20));
    expect(taken.snapshot.facts.kernelRelease).toBe('6.1.0');
    expect(taken.snapshot.warnings[0]).toBe(
      `the host sent more than ${MAX_SNAPSHOT_BYTES} bytes of output: the rest was not read, and the snapshot was stopped`,
    );
    const flood = taken.snapshot.sources.find((s) => s.id === 'interrupts')!;
    expect(flood.ok).toBe(false);
    expect(flood.reason).toMatch(/output truncated/);
    expect(flood.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('an operator interrupt is still reported as one', async () => {
    const stop = new AbortController();
    stop.abort();
    const taken = await takeSnapshot(floodingHost(), { signal: stop.signal });
    expect(taken.snapshot.warnings[0]).toMatch(/^the snapshot was interrupted/);
  });
});
