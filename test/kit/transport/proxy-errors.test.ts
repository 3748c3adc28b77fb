import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../../kit/exit-codes.js';
import {
  proxyExitedError,
  proxyStderrExcerpt,
  proxyTimeoutError,
} from '../../../kit/transport/proxy-errors.js';

describe('ProxyCommand errors', () => {
  it('quote the command and the end of its stderr on one safe line', () => {
    const e = proxyExitedError(
      {
        host: 'db',
        command: 'ssh -W db:22 gw',
        stderr: 'ssh: connect to host gw port 22: No route\n',
      },
      { code: 255, signal: null },
    );
    expect(e.oneLine).toBe(
      'db: proxy command: ProxyCommand "ssh -W db:22 gw" exited with status 255 before the SSH handshake completed: ssh: connect to host gw port 22: No route',
    );
    expect(exitCodeFor(e.code)).toBe(EXIT.CONNECTION);
  });

  it('replace what a terminal would act on, and keep the message stable when printed', () => {
    const hostile = 'ok\x1b]8;;http://x\x07link\x1b]8;;\x07\r\u202eevil\x9b31m';
    const said = proxyStderrExcerpt(hostile);
    expect(said).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(said).toContain('\ufffd]8;;http://x\ufffdlink');
    expect(proxyStderrExcerpt(said)).toBe(said);
  });

  it('cut a long stderr to its first and last lines', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    expect(proxyStderrExcerpt(lines)).toBe(
      'line 0 | line 1 | … | line 46 | line 47 | line 48 | line 49',
    );
    expect(proxyStderrExcerpt('x'.repeat(5000)).length).toBeLessThan(700);
  });

  it('say when a command was killed or never started, and when it timed out', () => {
    const ctx = { host: 'db', command: 'helper', stderr: '' };
    expect(proxyExitedError(ctx, { code: null, signal: 'SIGKILL' }).message).toContain(
      'was killed by SIGKILL before the SSH handshake completed (no stderr)',
    );
    expect(
      proxyExitedError(ctx, { code: null, signal: null, spawnError: 'spawn /nope ENOENT' }).message,
    ).toContain('could not be started (spawn /nope ENOENT)');
    const t = proxyTimeoutError(ctx, 10_000);
    expect(t.code).toBe('CONNECT_TIMEOUT');
    expect(t.message).toBe(
      'no SSH answer through ProxyCommand "helper" within 10 s; the command was stopped',
    );
  });
});
