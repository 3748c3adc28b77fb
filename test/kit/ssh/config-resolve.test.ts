import { describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../../kit/ssh/config-parse.js';
import { type ResolveEnv, resolveHost } from '../../../kit/ssh/config-resolve.js';

const env: ResolveEnv = { home: '/home/me', user: 'me', localHost: 'laptop.lan' };

function resolve(text: string | string[], alias: string, extra?: { user?: string; port?: number }) {
  const files = Array.isArray(text) ? text : [text];
  const configs = files.map((t, i) => parseSshConfig(t, `cfg${i}`));
  return resolveHost(configs, alias, env, extra);
}

describe('resolveHost', () => {
  it('returns OpenSSH defaults for an unknown alias', () => {
    expect(resolve('', 'box')).toEqual({
      alias: 'box',
      hostName: 'box',
      port: 22,
      identityFiles: [],
      userKnownHostsFiles: ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2'],
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      strictHostKeyChecking: 'ask',
      matchedAlias: false,
      unsupported: [],
      ignored: [],
    });
  });

  it('keeps the first value obtained, block by block and file by file', () => {
    const user = ['Host db', '  User first', '  Port 2201', 'Host *', '  User star', '  Port 9'];
    const system = ['Host db', '  User system', '  ConnectTimeout 5'];
    const r = resolve([user.join('\n'), system.join('\n')], 'db');
    expect(r).toMatchObject({
      user: 'first',
      port: 2201,
      connectTimeoutSec: 5,
      matchedAlias: true,
    });
  });

  it('lets earlier generic blocks win over later specific ones, like OpenSSH', () => {
    const r = resolve(['Host *', '  User generic', 'Host db', '  User specific'].join('\n'), 'db');
    expect(r.user).toBe('generic');
  });

  it('accumulates IdentityFile across blocks and drops duplicates', () => {
    const text = [
      'Host db',
      '  IdentityFile ~/.ssh/id_db',
      'Host *',
      '  IdentityFile ~/.ssh/id_ed25519',
      '  IdentityFile ~/.ssh/id_db',
    ].join('\n');
    expect(resolve(text, 'db').identityFiles).toEqual([
      '/home/me/.ssh/id_db',
      '/home/me/.ssh/id_ed25519',
    ]);
  });

  it('supports wildcards, several patterns per line and negation', () => {
    const text = [
      'Host *.prod !bastion.prod',
      '  User deploy',
      'Host web? api',
      '  Port 8022',
      'Host !nothing',
      '  User never', // a negation-only Host line never matches
    ].join('\n');
    expect(resolve(text, 'db.prod')).toMatchObject({ user: 'deploy', matchedAlias: true });
    expect(resolve(text, 'bastion.prod').user).toBeUndefined();
    expect(resolve(text, 'web1')).toMatchObject({ port: 8022, matchedAlias: true });
    expect(resolve(text, 'web12').port).toBe(22);
    expect(resolve(text, 'api').port).toBe(8022);
    expect(resolve(text, 'other')).not.toHaveProperty('user');
    expect(resolve(text, 'other').matchedAlias).toBe(false);
  });

  it('matches Host patterns case-sensitively, as OpenSSH does', () => {
    expect(resolve('Host DB\n  Port 2', 'db').port).toBe(22);
    expect(resolve('Host DB\n  Port 2', 'DB').port).toBe(2);
  });

  it('does not count a bare "Host *" or "Match host *" as knowing the alias', () => {
    const r = resolve('Host *\n  User x', 'typo-host');
    expect(r).toMatchObject({ user: 'x', matchedAlias: false });
    expect(resolve('Match host *\n  Port 2', 'typo-host')).toMatchObject({
      port: 2,
      matchedAlias: false,
    });
    expect(resolve('Host * !typo-host\nHost nope', 'typo-host').matchedAlias).toBe(false);
  });

  it('parses Key=value forms', () => {
    const r = resolve('Host=db\nHostName=db.example.com\nPort = 2022\nUser= admin', 'db');
    expect(r).toMatchObject({ hostName: 'db.example.com', port: 2022, user: 'admin' });
  });

  it('expands %h in HostName and lower-cases names but not addresses', () => {
    expect(resolve('Host *\n  HostName %h.Example.COM', 'db').hostName).toBe('db.example.com');
    expect(resolve('Host *\n  HostName 100%%', 'db').hostName).toBe('100%');
    expect(resolve('Host x\n  HostName FE80::1', 'x').hostName).toBe('FE80::1');
  });

  it('expands tokens and ~ in IdentityFile and UserKnownHostsFile', () => {
    const text = [
      'Host db',
      '  HostName db.example.com',
      '  User admin',
      '  Port 2200',
      '  IdentityFile ~/.ssh/%h_%r_%u',
      '  IdentityFile %d/keys/%n-%p-%l-%L-%%-%Z',
      '  UserKnownHostsFile ~/.ssh/kh_%h /etc/kh_%n',
    ].join('\n');
    const r = resolve(text, 'db');
    expect(r.identityFiles).toEqual([
      '/home/me/.ssh/db.example.com_admin_me',
      '/home/me/keys/db-2200-laptop.lan-laptop-%-%Z',
    ]);
    expect(r.userKnownHostsFiles).toEqual(['/home/me/.ssh/kh_db.example.com', '/etc/kh_db']);
  });

  it('uses the local user for %r when no User is configured', () => {
    expect(resolve('IdentityFile /k/%r', 'db').identityFiles).toEqual(['/k/me']);
  });

  it('lets caller overrides (user@host:port) beat the config and feed %r/%p', () => {
    const text = 'Host db\n  User cfg\n  Port 1\n  IdentityFile /k/%r-%p';
    const r = resolve(text, 'db', { user: 'cli', port: 2 });
    expect(r).toMatchObject({ user: 'cli', port: 2, identityFiles: ['/k/cli-2'] });
  });

  it('splits multi-hop ProxyJump and honours ProxyJump none', () => {
    const text = [
      'Host direct',
      '  ProxyJump none',
      'Host inner',
      '  ProxyJump alice@bastion:2222,[fd00::1]:22,jump2',
      'Host *',
      '  ProxyJump gateway',
    ].join('\n');
    expect(resolve(text, 'inner').proxyJump).toEqual([
      'alice@bastion:2222',
      '[fd00::1]:22',
      'jump2',
    ]);
    expect(resolve(text, 'direct').proxyJump).toBeUndefined();
    expect(resolve(text, 'elsewhere').proxyJump).toEqual(['gateway']);
  });

  it('makes ProxyCommand and ProxyJump exclusive, first one wins', () => {
    const cmdFirst = 'Host a\n  ProxyCommand nc %h %p\nHost *\n  ProxyJump j';
    expect(resolve(cmdFirst, 'a').proxyCommand).toBe('nc %h %p');
    expect(resolve(cmdFirst, 'a')).not.toHaveProperty('proxyJump');
    const jumpFirst = 'Host a\n  ProxyJump j\nHost *\n  ProxyCommand nc %h %p';
    expect(resolve(jumpFirst, 'a').proxyJump).toEqual(['j']);
    expect(resolve(jumpFirst, 'a')).not.toHaveProperty('proxyCommand');
    // "ProxyJump none" only pins ProxyJump; a later ProxyCommand still applies (readconf.c).
    const noneThenCmd = 'Host a\n  ProxyJump none\nHost *\n  ProxyCommand nc %h %p';
    expect(resolve(noneThenCmd, 'a')).toMatchObject({ proxyCommand: 'nc %h %p' });
    // "ProxyCommand none" is obtained like any value: a later ProxyJump is not taken.
    const cmdNoneThenJump = 'Host a\n  ProxyCommand none\nHost *\n  ProxyJump j';
    expect(resolve(cmdNoneThenJump, 'a')).not.toHaveProperty('proxyJump');
    expect(resolve(cmdNoneThenJump, 'a')).not.toHaveProperty('proxyCommand');
  });

  it('expands the ProxyCommand tokens with the final host name, port and user', () => {
    const text = [
      'Host db',
      '  HostName DB.Internal.Example',
      '  User admin',
      '  Port 2201',
      '  ProxyCommand ssh -W %h:%p -l %r gw # for %n, 100%%',
    ].join('\n');
    const r = resolve(text, 'db');
    expect(r.proxyCommand).toBe('ssh -W %h:%p -l %r gw # for %n, 100%%');
    expect(r.proxyCommandLine).toBe('ssh -W db.internal.example:2201 -l admin gw # for db, 100%');
    // A user and port given with the host beat the config, in %r and %p too.
    const given = resolveHost([parseSshConfig(text, 'cfg')], 'db', env, { user: 'u', port: 7 });
    expect(given.proxyCommandLine).toBe('ssh -W db.internal.example:7 -l u gw # for db, 100%');
    // No User anywhere: %r is the local user, as ssh fills it in.
    expect(resolve('Host x\n  ProxyCommand connect %r@%h', 'x').proxyCommandLine).toBe(
      'connect me@x',
    );
    // %k is the HostKeyAlias, else the host as typed.
    const keyed = 'Host k\n  HostKeyAlias kk\n  ProxyCommand p %k\nHost n\n  ProxyCommand p %k';
    expect(resolve(keyed, 'k').proxyCommandLine).toBe('p kk');
    expect(resolve(keyed, 'n').proxyCommandLine).toBe('p n');
  });

  it('refuses a ProxyCommand with a token ssh would refuse', () => {
    const r = resolve('Host x\n  ProxyCommand nc %h %d', 'x');
    expect(r).not.toHaveProperty('proxyCommandLine');
    expect(r.unsupported).toEqual([
      expect.objectContaining({ option: 'ProxyCommand', reason: expect.stringContaining('"%d"') }),
    ]);
  });

  it('maps the remaining keywords', () => {
    const text = [
      'Host db',
      '  StrictHostKeyChecking accept-new',
      '  HostKeyAlias db-key',
      '  ServerAliveInterval 1m',
      '  ServerAliveCountMax 4',
      '  IdentitiesOnly yes',
      '  ConnectTimeout 1m30s',
      '  GlobalKnownHostsFile /etc/x',
    ].join('\n');
    expect(resolve(text, 'db')).toMatchObject({
      strictHostKeyChecking: 'accept-new',
      hostKeyAlias: 'db-key',
      serverAliveIntervalSec: 60,
      serverAliveCountMax: 4,
      identitiesOnly: true,
      connectTimeoutSec: 90,
      globalKnownHostsFiles: ['/etc/x'],
    });
    expect(resolve('StrictHostKeyChecking off', 'x').strictHostKeyChecking).toBe('no');
    expect(resolve('StrictHostKeyChecking TRUE', 'x').strictHostKeyChecking).toBe('yes');
  });

  it('treats "none" as an explicit empty value that still blocks later ones', () => {
    const text =
      'Host a\n  ConnectTimeout none\n  UserKnownHostsFile none\nHost *\n  ConnectTimeout 9';
    const r = resolve(text, 'a');
    expect(r.connectTimeoutSec).toBeUndefined();
    expect(r.userKnownHostsFiles).toEqual([]);
  });

  describe('Match', () => {
    it('applies Match all and Match host, and marks the alias as known', () => {
      const text = ['Match host db', '  User matched', 'Match all', '  Port 2'].join('\n');
      expect(resolve(text, 'db')).toMatchObject({ user: 'matched', port: 2, matchedAlias: true });
      expect(resolve(text, 'other')).toMatchObject({ port: 2, matchedAlias: false });
      expect(resolve(text, 'other')).not.toHaveProperty('user');
    });

    it('matches host against the HostName obtained so far, originalhost against the alias', () => {
      const text = [
        'Host db',
        '  HostName %h.internal',
        'Match host *.internal',
        '  User internal',
        'Match originalhost db',
        '  Port 2022',
        'Match host db', // no longer true: host is now db.internal
        '  IdentityFile /never',
      ].join('\n');
      expect(resolve(text, 'db')).toMatchObject({
        hostName: 'db.internal',
        user: 'internal',
        port: 2022,
        identityFiles: [],
      });
    });

    it('supports pattern lists with negation and negated criteria', () => {
      const text = [
        'Match host *.example.com,!bad.example.com',
        '  User good',
        'Match !host *.example.com',
        '  User outside',
      ].join('\n');
      expect(resolve(text, 'ok.example.com').user).toBe('good');
      expect(resolve(text, 'bad.example.com').user).toBeUndefined();
      expect(resolve(text, 'elsewhere.org').user).toBe('outside');
    });

    it('supports Match user and localuser', () => {
      const text = [
        'Host a',
        '  User root',
        'Match user root',
        '  Port 1',
        'Match localuser me',
        '  Port 2',
      ];
      expect(resolve(text.join('\n'), 'a').port).toBe(1);
      expect(resolve(text.join('\n'), 'b').port).toBe(2);
    });

    it('never applies a Match block it cannot evaluate, and reports it', () => {
      const text = ['Match exec "true"', '  User exec', 'Host *', '  User fallback'].join('\n');
      const parsed = parseSshConfig(text, 'cfg');
      expect(parsed.warnings).toEqual([]);
      const r = resolveHost([parsed], 'a', env);
      expect(r.user).toBe('fallback');
      expect(r.unsupported).toEqual([
        expect.objectContaining({ option: 'Match exec', origin: { file: 'cfg', line: 1 } }),
      ]);
    });
  });

  it('ignores Include directives that were not expanded by the loader', () => {
    expect(resolve('Include /nowhere\nPort 3', 'a').port).toBe(3);
  });
});
