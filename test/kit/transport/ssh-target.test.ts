import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { EXIT, exitCodeFor } from '../../../kit/exit-codes.js';
import { type ResolveOptions, resolveTarget } from '../../../kit/transport/ssh-target.js';

// Every config here is a temporary file: the machine's ~/.ssh/config and
// /etc/ssh/ssh_config are replaced through userConfig/systemConfig. Targets
// are IP addresses, Host aliases or behind a ProxyJump, so nothing is looked
// up in DNS.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(lines: string[], name = `cfg${++counter}`): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function opts(files: { extra?: string[]; user?: string[]; system?: string[] }): ResolveOptions {
  return {
    configFiles: files.extra ? [file(files.extra)] : [],
    userConfig: files.user ? file(files.user) : join(dir, 'no-user-config'),
    systemConfig: files.system ? file(files.system) : join(dir, 'no-system-config'),
  };
}

async function refusal(spec: string, o: ResolveOptions): Promise<DropkitError> {
  const e = await resolveTarget(spec, o).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DropkitError);
  const err = e as DropkitError;
  expect(err.code).toBe('CONNECT_FAILED');
  expect(exitCodeFor(err.code)).toBe(EXIT.CONNECTION);
  expect(err.host).toBe(spec);
  return err;
}

describe('resolveTarget behind a jump host', () => {
  // A ProxyJump from `Host *`: no Host block names the target itself.
  const behindBastion = () =>
    opts({ user: ['Host * !bastion.corp.invalid', '  ProxyJump bastion.corp.invalid'] });

  it('leaves the name of a target reached through ProxyJump to the jump host', async () => {
    const t = await resolveTarget('db1.corp.invalid', behindBastion());
    expect(t.resolved.hostName).toBe('db1.corp.invalid');
    expect(t.resolved.proxyJump).toEqual(['bastion.corp.invalid']);
  });

  it('and of a hop after the first', async () => {
    const t = await resolveTarget('inner.other.invalid', { ...behindBastion(), viaJump: true });
    expect(t.resolved.hostName).toBe('inner.other.invalid');
  });

  it("walks the first hop's own ProxyJump first, as ssh does", async () => {
    const o = opts({
      user: ['Host db', '  ProxyJump inner,last', 'Host inner', '  ProxyJump outer'],
    });
    expect((await resolveTarget('db', o)).resolved.proxyJump).toEqual(['outer', 'inner', 'last']);
  });

  it('refuses a ProxyJump loop', async () => {
    const e = await refusal('db.invalid', opts({ user: ['Host *', '  ProxyJump bastion'] }));
    expect(e.message).toContain('ProxyJump loop');
    expect(e.hint).toContain('!bastion');
  });
});

describe('resolveTarget refuses what it cannot honour', () => {
  it('takes a ProxyCommand, expanded, and leaves the name to it', async () => {
    const o = opts({
      user: ['Host db', '  HostName db.corp.invalid', '  ProxyCommand ssh -W %h:%p gw'],
    });
    const t = await resolveTarget('ops@db:2200', o);
    expect(t.resolved).toMatchObject({
      hostName: 'db.corp.invalid',
      proxyCommand: 'ssh -W %h:%p gw',
      proxyCommandLine: 'ssh -W db.corp.invalid:2200 gw',
      unsupported: [],
    });
  });

  it('accepts "ProxyCommand none"', async () => {
    const o = opts({ user: ['Host db', '  HostName 198.18.0.10', '  ProxyCommand none'] });
    const t = await resolveTarget('db', o);
    expect(t.resolved).toMatchObject({ hostName: '198.18.0.10', unsupported: [] });
    expect(t.resolved).not.toHaveProperty('proxyCommandLine');
  });

  it('refuses "ProxyCommand -", naming the option and file:line', async () => {
    const o = opts({ user: ['Host db', '  HostName 198.18.0.10', '  ProxyCommand -'] });
    const e = await refusal('db', o);
    expect(e.message).toContain(`ProxyCommand at ${o.userConfig}:3`);
    expect(e.oneLine).toMatch(/^db: ssh config: ProxyCommand at /);
  });

  it("runs the first jump host's ProxyCommand, and ignores a later one's, as ssh -J does", async () => {
    const o = opts({
      user: [
        'Host db',
        '  ProxyJump bastion,inner',
        'Host bastion inner',
        '  ProxyCommand -',
        '  HostName %h.corp.invalid',
      ],
    });
    // The first hop's "ProxyCommand -" is its own, and refused before connecting.
    const e = await refusal('db', o);
    expect(e.message).toContain(`jump host "bastion": ProxyCommand at ${o.userConfig}:4`);
    const inner = await resolveTarget('inner', { ...o, viaJump: true });
    expect(inner.resolved).not.toHaveProperty('proxyCommand');
    expect(inner.resolved.unsupported).toEqual([]);
    // A later hop's ProxyCommand is not used, so not refused either.
    const later = opts({
      user: ['Host db', '  ProxyJump bastion,inner', 'Host inner', '  ProxyCommand -'],
    });
    expect((await resolveTarget('db', later)).resolved.proxyJump).toEqual(['bastion', 'inner']);
  });

  it('warns, per host, about settings it goes on without', async () => {
    const o = opts({
      user: ['Host db', '  HostName 198.18.0.10', '  CertificateFile ~/.ssh/cert.pub'],
    });
    const t = await resolveTarget('db', o);
    expect(t.hostWarnings).toEqual([
      `CertificateFile at ${o.userConfig}:3 is ignored: dropkit does not offer certificates, only keys`,
    ]);
  });

  it('refuses a Match exec block that could apply and changes settings', async () => {
    const o = opts({
      user: ['Host db', '  HostName 198.18.0.10'],
      system: ['Match host 198.18.* exec "ip route get 10.1.1.1"', '  ProxyJump gw'],
    });
    const e = await refusal('db', o);
    expect(e.message).toContain(`Match exec at ${o.systemConfig}:1`);
    expect(e.message).toContain('never runs commands');
  });

  it('ignores a Match exec block whose other criteria do not match', async () => {
    const o = opts({
      user: ['Host db', '  HostName 198.18.0.10'],
      system: ['Match host other exec "ip route get 10.1.1.1"', '  ProxyJump gw'],
    });
    const t = await resolveTarget('db', o);
    expect(t.resolved.proxyJump).toBeUndefined();
  });
});

describe('resolveTarget reads the system-wide config after the user files', () => {
  it('keeps the first value: --ssh-config, then ~/.ssh/config, then the system file', async () => {
    const o = opts({
      extra: ['Host db', '  User from-extra'],
      user: ['Host db', '  HostName 198.18.0.10', '  User from-user', '  Port 2201'],
      system: ['Host *', '  User from-system', '  Port 2202', '  ConnectTimeout 7'],
    });
    const t = await resolveTarget('db', o);
    expect(t).toMatchObject({ user: 'from-extra', port: 2201 });
    expect(t.resolved.connectTimeoutSec).toBe(7);
  });

  it("follows the system file's Include of its ssh_config.d", async () => {
    const sysDir = join(dir, 'etc-ssh');
    mkdirSync(join(sysDir, 'ssh_config.d'), { recursive: true });
    writeFileSync(join(sysDir, 'ssh_config.d', '50-site.conf'), 'Host db\n  Port 2203\n');
    writeFileSync(join(sysDir, 'ssh_config.d', '60-gw.conf'), 'Host gw*\n  ProxyCommand -\n');
    const systemConfig = join(sysDir, 'ssh_config');
    writeFileSync(systemConfig, 'Include ssh_config.d/*.conf\n');
    const o = { ...opts({ user: ['Host db gw1', '  HostName 198.18.0.10'] }), systemConfig };
    expect((await resolveTarget('db', o)).port).toBe(2203);
    const e = await refusal('gw1', o);
    expect(e.message).toContain(`ProxyCommand at ${join(sysDir, 'ssh_config.d', '60-gw.conf')}:2`);
  });

  it("reads Debian's default ssh_config without a warning", async () => {
    const debian = [
      '# This is the ssh client system-wide configuration file.',
      // The real file includes /etc/ssh/ssh_config.d; an empty one stands in here.
      `Include ${dir}/empty-ssh_config.d/*.conf`,
      '',
      'Host *',
      '#   ForwardAgent no',
      '#   ProxyCommand ssh -q -W %h:%p gateway.example.com',
      '    SendEnv LANG LC_*',
      '    HashKnownHosts yes',
      '    GSSAPIAuthentication yes',
    ];
    const o = opts({ user: ['Host db', '  HostName 198.18.0.10'], system: debian });
    const t = await resolveTarget('db', o);
    expect(t.warnings).toEqual([]);
    expect(t.hostWarnings).toEqual([]);
    expect(t.resolved.unsupported).toEqual([]);
  });
});
