import { describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../../kit/ssh/config-parse.js';
import { type ResolveEnv, resolveHost } from '../../../kit/ssh/config-resolve.js';

const env: ResolveEnv = { home: '/home/me', user: 'me' };

function resolve(files: Record<string, string[]>, alias: string) {
  const configs = Object.entries(files).map(([name, lines]) =>
    parseSshConfig(lines.join('\n'), name),
  );
  return resolveHost(configs, alias, env);
}

const at = (file: string, line: number) => ({ file, line });

describe('settings dropkit cannot honour', () => {
  it('runs a ProxyCommand: it is no longer refused, wherever it is set', () => {
    const r = resolve(
      { user: ['Host db', '  Port 2222'], system: ['Host *', '  ProxyCommand nc %h %p'] },
      'db',
    );
    expect(r).toMatchObject({ port: 2222, proxyCommandLine: 'nc db 2222', unsupported: [] });
    // "ProxyCommand none" in the user's config beats the system-wide one.
    const pinned = resolve(
      { user: ['Host db', '  ProxyCommand none'], system: ['Host *', '  ProxyCommand nc %h %p'] },
      'db',
    );
    expect(pinned).not.toHaveProperty('proxyCommand');
  });

  it('refuses "ProxyCommand -" and ProxyUseFdpass, which it cannot follow', () => {
    expect(resolve({ user: ['Host db', '  ProxyCommand -'] }, 'db').unsupported).toEqual([
      expect.objectContaining({ option: 'ProxyCommand', value: '-', origin: at('user', 2) }),
    ]);
    const fdpass = ['Host db', '  ProxyUseFdpass yes', '  ProxyCommand helper %h'];
    expect(resolve({ user: fdpass }, 'db').unsupported).toEqual([
      expect.objectContaining({ option: 'ProxyUseFdpass', origin: at('user', 2) }),
    ]);
    // Without a ProxyCommand, ProxyUseFdpass changes nothing.
    expect(resolve({ user: ['Host db', '  ProxyUseFdpass yes'] }, 'db').unsupported).toEqual([]);
  });

  it('lists the settings it goes on without, once each, with where they were set', () => {
    const r = resolve(
      {
        user: [
          'Host db',
          '  IdentityAgent ~/.1password/agent.sock',
          '  CertificateFile ~/.ssh/id_ed25519-cert.pub',
          '  SendEnv LANG',
        ],
        system: ['Host *', '  KnownHostsCommand /usr/bin/kh %H', '  IdentityAgent none'],
      },
      'db',
    );
    expect(r.unsupported).toEqual([]);
    expect(r.ignored.map((i) => [i.option, i.origin])).toEqual([
      ['IdentityAgent', at('user', 2)],
      ['CertificateFile', at('user', 3)],
      ['KnownHostsCommand', at('system', 2)],
    ]);
    // The agent the environment names is the one dropkit uses anyway.
    const envAgent = resolve({ user: ['Host *', '  IdentityAgent SSH_AUTH_SOCK'] }, 'db');
    expect(envAgent.ignored).toEqual([]);
  });

  describe('Match blocks that cannot be evaluated', () => {
    it('reports a Match exec block that could apply and sets anything', () => {
      const text = ['Match host db exec "on-vpn"', '  ProxyJump bastion'];
      const r = resolve({ user: text }, 'db');
      expect(r.proxyJump).toBeUndefined();
      expect(r.unsupported).toEqual([
        expect.objectContaining({
          option: 'Match exec',
          value: 'exec on-vpn',
          origin: at('user', 1),
          reason: expect.stringContaining('never runs commands'),
        }),
      ]);
      // Negated, the answer is just as unknown.
      const negated = resolve({ user: ['Match !exec "on-vpn"', '  ForwardAgent no'] }, 'db');
      expect(negated.unsupported).toHaveLength(1);
    });

    it('ignores it when its other criteria clearly do not match, or it sets nothing', () => {
      const other = ['Match host other exec "on-vpn"', '  ProxyJump bastion'];
      expect(resolve({ user: other }, 'db').unsupported).toEqual([]);
      const afterExec = ['Match exec "on-vpn" user nobody', '  ProxyJump bastion'];
      expect(resolve({ user: afterExec }, 'db').unsupported).toEqual([]);
      const inHost = ['Host other', 'Match exec "on-vpn"', '  Port 2'];
      expect(resolve({ user: inHost }, 'db').unsupported).toHaveLength(1);
      expect(resolve({ user: ['Match exec "on-vpn"'] }, 'db').unsupported).toEqual([]);
    });

    it('treats localnetwork, version and command alike, and invalid Match lines', () => {
      for (const line of [
        'Match localnetwork 10.0.0.0/8',
        'Match version OpenSSH_9*',
        'Match command "uptime"',
      ]) {
        const r = resolve({ user: [line, '  Port 2'] }, 'db');
        expect(r.port).toBe(22);
        expect(r.unsupported).toEqual([expect.objectContaining({ origin: at('user', 1) })]);
      }
      const invalid = resolve({ user: ['Match bogus y', '  ProxyJump j'] }, 'db');
      expect(invalid.unsupported).toEqual([
        expect.objectContaining({ option: 'Match', reason: expect.stringContaining('invalid') }),
      ]);
    });

    it('reports one exec block once, even when both passes reach it', () => {
      const text = ['Match final all', '  Port 3', 'Match exec "x"', '  Port 4'];
      expect(resolve({ user: text }, 'db').unsupported).toHaveLength(1);
    });
  });

  describe('Match final and canonical', () => {
    it('applies them in a second pass, matching Host lines against the host name', () => {
      const text = [
        'Host db',
        '  HostName 10.0.0.5',
        'Host 10.0.*',
        '  User by-address',
        'Match final host 10.0.0.5',
        '  Port 2222',
        'Match canonical',
        '  ProxyCommand nc %h %p',
        'Match !final',
        '  ConnectTimeout 7',
      ];
      const r = resolve({ user: text }, 'db');
      expect(r).toMatchObject({ hostName: '10.0.0.5', user: 'by-address', port: 2222 });
      expect(r.connectTimeoutSec).toBe(7);
      expect(r.unsupported).toEqual([]);
      expect(r.proxyCommandLine).toBe('nc 10.0.0.5 2222');
    });

    it('never applies canonical without a final pass, and keeps first-pass values', () => {
      expect(resolve({ user: ['Match canonical', '  Port 5'] }, 'db').port).toBe(22);
      const text = ['Match final all', '  Port 44', 'Host *', '  Port 55'];
      expect(resolve({ user: text }, 'db').port).toBe(55);
    });
  });

  describe('CanonicalizeHostname', () => {
    const base = ['Host *', '  CanonicalizeHostname yes', '  CanonicalDomains corp.example'];

    it('refuses a short name it could rewrite through DNS', () => {
      expect(resolve({ user: base }, 'db').unsupported).toEqual([
        expect.objectContaining({ option: 'CanonicalizeHostname', origin: at('user', 2) }),
      ]);
      expect(resolve({ user: base }, 'db.').unsupported).toHaveLength(1);
    });

    it('accepts names it would leave alone', () => {
      // Enough dots, an address, no domains, or behind a jump host with "yes".
      expect(resolve({ user: base }, 'db.corp.example').unsupported).toEqual([]);
      expect(resolve({ user: base }, '10.1.2.3').unsupported).toEqual([]);
      const noDomains = ['Host *', '  CanonicalizeHostname yes'];
      expect(resolve({ user: noDomains }, 'db').unsupported).toEqual([]);
      expect(resolve({ user: ['Host db', '  ProxyJump j', ...base] }, 'db').unsupported).toEqual(
        [],
      );
      const always = ['Host db', '  ProxyJump j', ...base.map((l) => l.replace('yes', 'always'))];
      expect(resolve({ user: always }, 'db').unsupported).toHaveLength(1);
    });

    it('turns on the final pass, where Match canonical applies', () => {
      const text = ['Host *', '  CanonicalizeHostname yes', 'Match canonical', '  Port 7'];
      expect(resolve({ user: text }, 'db.corp.example').port).toBe(7);
    });
  });

  it('refuses BindAddress and BindInterface, which pick the route', () => {
    const r = resolve({ user: ['Host db', '  BindAddress 10.9.9.9', '  BindInterface wg0'] }, 'db');
    expect(r.unsupported.map((u) => u.option)).toEqual(['BindAddress', 'BindInterface']);
  });

  it('leaves harmless options alone', () => {
    const text = [
      'Host *',
      '  SendEnv LANG LC_*',
      '  HashKnownHosts yes',
      '  GSSAPIAuthentication yes',
      '  ForwardAgent no',
      '  Tunnel no',
      '  PermitLocalCommand yes',
      '  LocalCommand echo hi',
      '  RemoteCommand uptime',
      '  AddressFamily inet',
      '  ControlMaster auto',
    ];
    expect(resolve({ system: text }, 'db').unsupported).toEqual([]);
  });

  it('evaluates Match tagged against Tag, an unset tag matching only ""', () => {
    const text = [
      'Match tagged ""',
      '  Port 1',
      'Host t',
      '  Tag ops',
      'Match tagged ops',
      '  User o',
    ];
    expect(resolve({ user: text }, 'db')).toMatchObject({ port: 1 });
    expect(resolve({ user: text.slice(2) }, 't')).toMatchObject({ user: 'o', port: 22 });
  });
});
