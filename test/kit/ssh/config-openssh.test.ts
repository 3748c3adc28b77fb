// Differential test: the same config resolved by `ssh -G` (OpenSSH's own evaluator, which
// prints the effective configuration without connecting) and by resolveHost.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSshConfig, type ResolvedHost, resolveHost } from '../../../kit/ssh/config.js';

const SSH = '/usr/bin/ssh';

function sshG(configFile: string, alias: string): Map<string, string> {
  const out = execFileSync(SSH, ['-G', '-F', configFile, alias], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const fields = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) fields.set(line.slice(0, space), line.slice(space + 1));
  }
  return fields;
}

/** Our result in `ssh -G` vocabulary, for the keywords both sides know. */
function asSshG(r: ResolvedHost, localUser: string): Record<string, string | undefined> {
  const strict = { yes: 'true', no: 'false', ask: 'ask', 'accept-new': 'accept-new' };
  return {
    hostname: r.hostName,
    user: r.user ?? localUser,
    port: String(r.port),
    proxyjump: r.proxyJump?.join(','),
    proxycommand: r.proxyCommand,
    userknownhostsfile: r.userKnownHostsFiles.join(' '),
    stricthostkeychecking: strict[r.strictHostKeyChecking],
    connecttimeout: r.connectTimeoutSec === undefined ? 'none' : String(r.connectTimeoutSec),
    hostkeyalias: r.hostKeyAlias,
    identitiesonly: r.identitiesOnly ? 'yes' : 'no',
    serveralivecountmax: String(r.serverAliveCountMax ?? 3),
    serveraliveinterval: String(r.serverAliveIntervalSec ?? 0),
  };
}

const CONFIG = `
# exercised by ssh -G and by resolveHost
Host db db-*
  HostName %h.internal.example
  User=dbadmin
  Port 2201
  ConnectTimeout 7

Host *.prod !bastion.prod
  ProxyJump ops@bastion.prod:2222,[fd00::5]:22
  StrictHostKeyChecking yes
  HostKeyAlias prod-key

Host bastion.prod
  ProxyJump none
  ServerAliveInterval 15
  ServerAliveCountMax 5

Host viacmd
  ProxyCommand nc %h %p
  ProxyJump ignored-because-command-came-first

Match host *.internal.example
  UserKnownHostsFile ~/.ssh/kh_%h /tmp/kh_%n
  IdentitiesOnly yes

Match originalhost web?
  Port 8022

Host UPPER
  HostName Mixed.Case.Example

Include INCLUDE_DIR/*.conf

Host *
  User everyone
  StrictHostKeyChecking accept-new
`;

describe.skipIf(!existsSync(SSH))('resolveHost agrees with ssh -G', () => {
  let dir: string;
  let configFile: string;
  const local = userInfo();
  const env = { home: local.homedir, user: local.username };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-sshg-'));
    configFile = path.join(dir, 'config');
    await writeFile(configFile, CONFIG.replace('INCLUDE_DIR', dir));
    await writeFile(path.join(dir, '10-inc.conf'), 'Host included\n  Port 1234\n  User inc\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    'db',
    'db-replica',
    'api.prod',
    'bastion.prod',
    'viacmd',
    'web1',
    'web12',
    'UPPER',
    'included',
    'unknown-host',
  ])('%s', async (alias) => {
    const { configs, warnings } = await loadSshConfig([configFile], { home: env.home });
    expect(warnings).toEqual([]);
    const ours = asSshG(resolveHost(configs, alias, env), env.user);
    const theirs = sshG(configFile, alias);
    for (const [key, value] of Object.entries(ours)) {
      expect({ key, value: theirs.get(key) }).toEqual({ key, value });
    }
  });
});

// `Match final`/`canonical` need ssh's second pass, where Host lines see the host name.
const FINAL_PASS_CONFIG = `
Host db
  HostName 10.0.0.5
Host 10.0.*
  User by-address
Match final host 10.0.0.5
  Port 2222
Match canonical originalhost db
  ConnectTimeout 9
Match !final
  ServerAliveInterval 7
Host web
  HostName Web.Example
Host web.example
  HostKeyAlias seen-in-final-pass
Match final all
  StrictHostKeyChecking yes
Host *
  ServerAliveCountMax 5
`;

describe.skipIf(!existsSync(SSH))('resolveHost agrees with ssh -G on the final pass', () => {
  let dir: string;
  let configFile: string;
  const local = userInfo();
  const env = { home: local.homedir, user: local.username };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-sshg-final-'));
    configFile = path.join(dir, 'config');
    await writeFile(configFile, FINAL_PASS_CONFIG);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['db', 'web', 'other'])('%s', async (alias) => {
    const { configs, warnings } = await loadSshConfig([configFile], { home: env.home });
    expect(warnings).toEqual([]);
    const resolved = resolveHost(configs, alias, env);
    expect(resolved.unsupported).toEqual([]);
    const ours = asSshG(resolved, env.user);
    const theirs = sshG(configFile, alias);
    for (const [key, value] of Object.entries(ours)) {
      expect({ key, value: theirs.get(key) }).toEqual({ key, value });
    }
  });
});

// ProxyCommand against ProxyJump, "none" in either, and canonicalisation, which
// ssh leaves to the proxy.
const PROXY_CONFIG = `
Host cmdnone
  ProxyCommand none
Host jumpnone
  ProxyJump none
Host cmdnone jumpnone
  ProxyCommand ssh -W %h:%p gw
Host cmdnone
  ProxyJump later
Host canon
  CanonicalizeHostname yes
  CanonicalDomains example.com
  ProxyCommand nc %h %p
Host upper
  ProxyCommand NONE
Host cmdfirst
  ProxyCommand connect -S proxy:1080 %h %p
  ProxyJump never
Host *
  ProxyCommand fallback %n
`;

describe.skipIf(!existsSync(SSH))('resolveHost agrees with ssh -G on ProxyCommand', () => {
  let dir: string;
  let configFile: string;
  const local = userInfo();
  const env = { home: local.homedir, user: local.username };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-sshg-proxy-'));
    configFile = path.join(dir, 'config');
    await writeFile(configFile, PROXY_CONFIG);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['cmdnone', 'jumpnone', 'canon', 'upper', 'cmdfirst', 'other'])('%s', async (alias) => {
    const { configs, warnings } = await loadSshConfig([configFile], { home: env.home });
    expect(warnings).toEqual([]);
    const resolved = resolveHost(configs, alias, env);
    expect(resolved.unsupported).toEqual([]);
    const ours = asSshG(resolved, env.user);
    const theirs = sshG(configFile, alias);
    for (const [key, value] of Object.entries(ours)) {
      expect({ key, value: theirs.get(key) }).toEqual({ key, value });
    }
  });
});
