// ProxyCommand and shared jump hosts against real sshd, in a lab of its own
// ("fproxy"): a proxy program run in another lab host's namespace carries
// `collect bundle`, a proxy that exits at once is a connection error and never
// a direct connection, and a jump host killed while a fleet is being opened
// takes exactly the hosts behind it. Traffic stays on the lab's addresses,
// inside namespaces this file creates.

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { EXIT, exitCodeFor } from '../../../kit/exit-codes.js';
import { labDown, labUp } from '../../../kit/lab/lab.js';
import type { LabHost } from '../../../kit/lab/layout.js';
import { labIdFor } from '../../../kit/lab/layout.js';
import { netnsList } from '../../../kit/lab/netns.js';
import { readState } from '../../../kit/lab/state.js';
import { shellQuote } from '../../../kit/shell-quote.js';
import { createFleetOpener, type FleetOpener } from '../../../kit/transport/fleet-opener.js';
import type { Transport } from '../../../kit/transport/types.js';
import { cli } from '../../cli-helpers.js';
import { TCP_PIPE } from '../../fakes/tcp-pipe.js';
import { killIfAlive } from '../../kill-if-alive.js';
import { canRunLab } from '../../lab-available.js';

const ID = labIdFor('fproxy');
const HOSTS = 6;
const env = { DROPKIT_LAB: ID.name };

const PIPE = TCP_PIPE;

let dir: string;
let hosts: Map<string, LabHost>;

const host = (alias: string): LabHost => {
  const h = hosts.get(alias);
  if (!h) throw new Error(`no lab host ${alias}`);
  return h;
};
const sshdLog = (alias: string) => readFile(`${ID.stateDir}/${alias}/sshd.log`, 'utf8');
const accepted = async (alias: string) =>
  (await sshdLog(alias)).split('\n').filter((l) => l.includes('Accepted publickey'));

async function config(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

describe.skipIf(!canRunLab())('ProxyCommand and shared jump hosts in a lab', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropkit-fproxy-'));
    await labDown({ id: ID }).catch(() => undefined);
    await labUp({ id: ID, hosts: HOSTS });
    const state = await readState(ID.stateDir);
    if (!state) throw new Error('fproxy lab did not record its state');
    hosts = new Map(state.layout.hosts.map((h) => [h.alias, h]));
  }, 180_000);

  afterAll(async () => {
    try {
      await labDown({ id: ID });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('collect bundle reaches vmA through a proxy running in vmB', async () => {
    const pipe = join(dir, 'pipe.cjs');
    await writeFile(pipe, PIPE);
    const proxy = [
      'ip netns exec',
      host('vmB').netns,
      shellQuote(process.execPath),
      shellQuote(pipe),
      '%h %p',
    ].join(' ');
    const file = await config('proxy_config', ['Host vmA', `  ProxyCommand ${proxy}`]);
    const out = join(dir, 'out');
    const before = (await accepted('vmA')).length;
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmA', '--ssh-config', file, '--out', out],
      { ...env, XDG_CONFIG_HOME: join(dir, 'config') },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const bundle = r.stdout.match(/^bundle: (.+)$/m)?.[1];
    expect(bundle).toBeDefined();
    expect(existsSync(bundle!)).toBe(true);
    expect((await readdir(out)).some((f) => f.endsWith('.tar.gz'))).toBe(true);
    // vmA saw the login come from vmB's address: the proxy carried it, not
    // the bridge (a direct connection comes from the lab's bridge address).
    const logins = (await accepted('vmA')).slice(before);
    expect(logins.length).toBeGreaterThan(0);
    for (const l of logins) expect(l).toContain(`from ${host('vmB').address} `);
  });

  it('a ProxyCommand that exits at once is a connection error naming it, never a direct connection', async () => {
    const command = `sh -c 'echo "bastion: access denied" >&2; exit 7'`;
    // 192.0.2.1 (TEST-NET-1) would be the direct route; the proxy is the only
    // one. The CLI runs in a network namespace of its own with no route at all
    // (unshare --net: loopback only, and down), so even a direct attempt
    // could not leave the process: nothing is ever sent to that address.
    const file = await config('dead_proxy_config', [
      'Host vmA',
      '  HostName 192.0.2.1',
      `  ProxyCommand ${command}`,
    ]);
    const route = await execa('unshare', ['--net', 'ip', 'route', 'get', '192.0.2.1'], {
      reject: false,
    });
    expect(route.exitCode, route.stdout).not.toBe(0);
    const out = join(dir, 'never');
    const r = await execa(
      'unshare',
      [
        '--net',
        process.execPath,
        'dist/bin/collect.js',
        'bundle',
        '--node',
        'vmA',
        '--ssh-config',
        file,
        '--out',
        out,
        '--debug',
      ],
      { reject: false, env: { ...env, XDG_CONFIG_HOME: join(dir, 'config') } },
    );
    expect(r.exitCode, r.stderr).toBe(EXIT.CONNECTION);
    expect(r.stderr).toContain(`ProxyCommand "${command}" exited with status 7`);
    expect(r.stderr).toContain('bastion: access denied');
    // The one connection attempt went through the command.
    const attempts = r.stderr.split('\n').filter((l) => /connecting to .*192\.0\.2\.1/.test(l));
    expect(attempts.length).toBeGreaterThan(0);
    for (const a of attempts) expect(a).toContain('(via ProxyCommand: ');
    expect(r.stderr).not.toMatch(/cannot connect to 192\.0\.2\.1/);
    const written = existsSync(out) ? await readdir(out) : [];
    expect(written.filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
  });

  it('a ProxyCommand that hangs meets the connect timeout, and its whole process group is ended', async () => {
    // A proxy in vmB's namespace that never answers: the marker ($0 of the
    // shell) finds its processes afterwards.
    const marker = `dk-hang-${process.pid}`;
    const command = `ip netns exec ${host('vmB').netns} sh -c 'sleep 600' ${marker}`;
    const file = await config('hang_proxy_config', ['Host vmA', `  ProxyCommand ${command}`]);
    const started = performance.now();
    const r = await execa(
      process.execPath,
      [
        'dist/bin/collect.js',
        'bundle',
        '--node',
        'vmA',
        '--ssh-config',
        file,
        '--connect-timeout',
        '2',
        '--out',
        join(dir, 'hang'),
      ],
      { reject: false, env: { ...env, XDG_CONFIG_HOME: join(dir, 'config') } },
    );
    expect(r.exitCode, r.stderr).toBe(EXIT.CONNECTION);
    expect(r.stderr).toContain(`ProxyCommand "${command}"`);
    expect(r.stderr).toMatch(/2 s/);
    expect(performance.now() - started).toBeLessThan(20_000);
    const left = async () => {
      const found: string[] = [];
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (argv.includes(marker)) found.push(pid);
      }
      return found;
    };
    const until = Date.now() + 4000;
    while ((await left()).length && Date.now() < until)
      await new Promise((res) => setTimeout(res, 100));
    expect(await left()).toEqual([]);
  });

  it('a jump host killed mid-way fails exactly the hosts behind it; the direct ones succeed', async () => {
    const labConfig = `${ID.stateDir}/ssh_config`;
    const behind = ['vmC', 'vmD', 'vmE'];
    const direct = ['vmA', 'vmB'];
    const file = await config('jump_config', [`Host ${behind.join(' ')}`, '  ProxyJump vmF']);
    const fleet: FleetOpener = createFleetOpener({
      sshConfig: [file, labConfig],
      parallel: 2,
      warn: () => undefined,
    });
    const opened: Transport[] = [];
    try {
      const before = (await accepted('vmF')).length;
      const opening = Promise.all(
        [...behind, ...direct].map(async (alias) => {
          try {
            const t = await fleet.open(alias);
            opened.push(t);
            return { alias, t };
          } catch (error) {
            return { alias, error };
          }
        }),
      );
      // Once vmF has let the fleet in, every process of that host goes: its
      // sshd and the session carrying the targets.
      const until = Date.now() + 20_000;
      while ((await accepted('vmF')).length === before) {
        if (Date.now() > until) throw new Error('vmF never accepted the jump connection');
        await new Promise((r) => setTimeout(r, 5));
      }
      const pids = (await execa('ip', ['netns', 'pids', host('vmF').netns])).stdout.split(/\s+/);
      for (const pid of pids.filter(Boolean)) killIfAlive(pid);
      const results = await opening;
      for (const r of results) {
        // A target behind vmF fails to open, or opens just in time and is then lost.
        let error: unknown = 'error' in r ? r.error : undefined;
        if ('t' in r && r.t) {
          error = await r.t.exec({ argv: ['hostname'], timeoutMs: 15_000 }).then(
            (x) => (direct.includes(r.alias) ? undefined : new Error(`ran: ${x.stdout}`)),
            (e: unknown) => e,
          );
        }
        if (direct.includes(r.alias)) {
          expect(error, r.alias).toBeUndefined();
          continue;
        }
        expect(error, r.alias).toBeInstanceOf(DropkitError);
        const e = error as DropkitError;
        expect(['CONNECT_FAILED', 'CONNECTION_LOST']).toContain(e.code);
        expect(exitCodeFor(e.code)).toBe(EXIT.CONNECTION);
        expect(e).toMatchObject({ host: r.alias, step: 'proxy jump' });
        expect(e.message).toMatch(/^jump host "vmF" was lost/);
      }
      // Later, a target behind vmF fails at once for the same reason.
      await expect(fleet.open('vmC')).rejects.toMatchObject({
        code: 'CONNECT_FAILED',
        host: 'vmC',
        message: expect.stringMatching(/^jump host "vmF" was lost/),
      });
      expect(fleet.stats().jumpConnections).toBe(1);
      expect((await accepted('vmF')).length - before).toBe(1);
      expect(fleet.stats().peakInFlight).toBeLessThanOrEqual(2);
    } finally {
      for (const t of opened) await t.close();
      await fleet.close();
    }
  });

  it('lab down leaves no namespace of this lab', async () => {
    await labDown({ id: ID });
    expect((await netnsList()).filter((n) => n.startsWith(`${ID.prefix}-`))).toEqual([]);
  }, 60_000);
});
