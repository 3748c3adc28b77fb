import { describe, expect, it } from 'vitest';
import {
  expandProxyCommand,
  isProxyCommandNone,
  proxyCommandArgv,
} from '../../../kit/ssh/proxy-command.js';

const tokens = { hostName: 'db.internal', alias: 'db', port: 2201, user: 'ops' };

describe('ProxyCommand %-expansion (sshconnect.c expand_proxy_command)', () => {
  it('expands %h %n %p %r %k and %%', () => {
    expect(expandProxyCommand('ssh -W %h:%p -l %r gw', tokens)).toEqual({
      ok: true,
      command: 'ssh -W db.internal:2201 -l ops gw',
    });
    expect(expandProxyCommand('echo %n %k 100%% %%h', tokens)).toEqual({
      ok: true,
      command: 'echo db db 100% %h',
    });
    expect(expandProxyCommand('p %k', { ...tokens, hostKeyAlias: 'key' })).toEqual({
      ok: true,
      command: 'p key',
    });
  });

  it('never expands twice: a value holding % stays as it is', () => {
    expect(expandProxyCommand('x %r %h', { ...tokens, user: '%h' })).toEqual({
      ok: true,
      command: 'x %h db.internal',
    });
  });

  it('refuses what ssh refuses: unknown tokens and a trailing %', () => {
    expect(expandProxyCommand('nc %h %d', tokens)).toEqual({
      ok: false,
      reason: 'unknown token "%d"',
    });
    expect(expandProxyCommand('nc %h 100%', tokens)).toMatchObject({ ok: false });
  });

  it('"none" in any case, as ssh -G shows', () => {
    expect(isProxyCommandNone('none')).toBe(true);
    expect(isProxyCommandNone('NONE')).toBe(true);
    expect(isProxyCommandNone('none2')).toBe(false);
  });

  it("runs through the user's shell, else /bin/sh, with exec", () => {
    expect(proxyCommandArgv('nc a 22', '/bin/bash')).toEqual(['/bin/bash', '-c', 'exec nc a 22']);
    expect(proxyCommandArgv('nc a 22', '')).toEqual(['/bin/sh', '-c', 'exec nc a 22']);
    expect(proxyCommandArgv('nc a 22', undefined)[0]).toBe('/bin/sh');
  });
});
