import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIperf3Result } from '../../repro/iperf3-result.js';
import { listProfiles, loadProfile, parseProfile } from '../../repro/profile.js';
import { renderReproSh } from '../../repro/repro-sh.js';
import { freePort, iperf3Available } from './iperf3-loopback.js';

async function available(cmd: string, args: string[]): Promise<boolean> {
  return (await execa(cmd, args, { reject: false })).exitCode === 0;
}

const hasDash = await available('dash', ['-c', 'true']);
const hasBusybox = await available('busybox', ['sh', '-c', 'true']);
const hasIperf3 = await iperf3Available();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-repro-sh-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeScript(text: string, name = 'repro.sh'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('renderReproSh', () => {
  it('renders every built-in profile into a script dash and busybox sh accept', async () => {
    const profiles = await listProfiles();
    expect(profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(['microburst', 'tcp-incast', 'udp-flood', 'tcp-bidir']),
    );
    for (const { name } of profiles) {
      const text = renderReproSh(await loadProfile(name), { generator: 'dropkit test' });
      const path = await writeScript(text, `${name}.sh`);
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      expect(text).toContain('sh repro.sh client RECEIVER_IP');
      expect(text).not.toContain('$\\{');
      if (hasDash) expect((await execa('dash', ['-n', path], { reject: false })).stderr).toBe('');
      if (hasBusybox) {
        const r = await execa('busybox', ['sh', '-n', path], { reject: false });
        expect([r.exitCode, r.stderr]).toEqual([0, '']);
      }
    }
  });

  it('runs the profile phases with the profile iperf3 arguments', async () => {
    const text = renderReproSh(await loadProfile('microburst'), { port: 5301 });
    expect(text).toContain('    burst) set -- "$2" -u -b 1G/32 -P 4 -l 1400 -w 4M -A 0,0 ;;');
    expect(text).toContain('    burst) echo 10 ;;');
    expect(text).toContain('DEFAULT_PORT=5301');
    expect(text).toMatch(
      /^# {3}phase burst \(10 s\): iperf3 -u -b 1G\/32 -P 4 -l 1400 -w 4M -A 0,0$/m,
    );
  });

  it('quotes what the shell must not interpret', () => {
    const p = parseProfile(
      `name: q\ndescription: "costs $(rm -rf /) \\u2014 \\n next"\nphases:\n  - {name: a, protocol: tcp, duration: 1, extraArgs: ['-C', 'bbr']}\n`,
      'q.yaml',
    );
    const text = renderReproSh(p);
    expect(text).toContain('# costs $(rm -rf /)');
    expect(text).not.toMatch(/\n next/);
    expect(() => renderReproSh(p, { port: 70000 })).toThrow(/port/);
    const evil = { ...p, phases: [{ ...p.phases[0]!, name: 'a) rm -rf / ;;' }] };
    expect(() => renderReproSh(evil)).toThrow(/unsafe/);
    expect(renderReproSh(p, { generator: "x\n'$(id)" })).toContain("GENERATOR='x____id_'");
  });

  it('the usage, and a DURATION above the cap is refused before any traffic', async () => {
    if (!hasDash || !hasIperf3) return;
    const path = await writeScript(renderReproSh(await loadProfile('microburst')), 'cap.sh');
    const usage = await execa('dash', [path], { reject: false });
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('usage: sh repro.sh server');
    const r = await execa('dash', [path, 'client', '127.0.0.1'], {
      reject: false,
      cwd: dir,
      env: { DURATION: '400' },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('400 s of traffic is above the 300 s cap');
    expect(r.stderr).toContain('MAX_DURATION=400');
  });
});

// Both roles of the script on this machine, to 127.0.0.1 only, 1 s per phase.
describe.skipIf(!hasIperf3 || !hasDash)('repro.sh on loopback', () => {
  interface Run {
    server: ResultPromise;
    client?: ResultPromise;
  }

  // Kills what a run started, by process group (the script and its iperf3),
  // and checks that no iperf3 on this port is left.
  async function cleanup(run: Run, port: number): Promise<void> {
    for (const p of [run.client, run.server]) {
      if (p?.pid !== undefined && p.exitCode === null) {
        try {
          process.kill(-p.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      await p?.catch(() => undefined);
    }
    const left = await execa('pgrep', ['-f', `iperf3 .*-p ${port}( |$)`], { reject: false });
    for (const pid of left.stdout.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
    expect(left.stdout.trim()).toBe('');
  }

  async function resultDir(out: string, role: string): Promise<string> {
    const names = (await readdir(out)).filter((n) => n.includes(`-${role}-`));
    expect(names).toHaveLength(1);
    return join(out, names[0]!);
  }

  async function runPair(profileText: string, shells: { server: string[]; client: string[] }) {
    const port = await freePort();
    const out = await mkdtemp(join(dir, 'out-'));
    const path = await writeScript(renderReproSh(parseProfile(profileText, 'p.yaml')), 'run.sh');
    const env = { OUTDIR: out, IPERF3_PORT: String(port), DURATION: '1', SERVER_WAIT: '30' };
    const opts = { cwd: out, env, detached: true, reject: false, timeout: 60_000 } as const;
    const run: Run = {
      server: execa(shells.server[0]!, [...shells.server.slice(1), path, 'server'], opts),
    };
    try {
      run.client = execa(
        shells.client[0]!,
        [...shells.client.slice(1), path, 'client', '127.0.0.1'],
        opts,
      );
      const client = await run.client;
      const server = await run.server;
      return { port, out, client, server };
    } finally {
      await cleanup(run, port);
    }
  }

  it('server and client capture before/after counters and print the summary', async () => {
    const { out, client, server } = await runPair(
      await readFile(join(import.meta.dirname, '../../repro/profiles/microburst.yaml'), 'utf8'),
      { server: ['dash'], client: ['dash'] },
    );
    expect([client.exitCode, client.stderr]).toEqual([0, '']);
    expect(server.exitCode).toBe(0);
    for (const role of ['client', 'server']) {
      const d = await resultDir(out, role);
      for (const when of ['before', 'after']) {
        const files = await readdir(join(d, when));
        expect(files).toEqual(
          expect.arrayContaining([
            'proc_net_softnet_stat.txt',
            'proc_net_snmp.txt',
            'proc_net_netstat.txt',
            'sys_class_net_statistics.txt',
            'sysctl.txt',
            'time.txt',
          ]),
        );
        const sysctl = await readFile(join(d, when, 'sysctl.txt'), 'utf8');
        expect(sysctl).toMatch(/^net\.core\.netdev_max_backlog = \d+$/m);
      }
      expect(await readFile(join(d, 'meta.txt'), 'utf8')).toContain(`role: ${role}`);
      expect(await readFile(join(d, 'summary.txt'), 'utf8')).toContain('softnet_stat per CPU');
    }
    expect(client.stdout).toContain('softnet_stat per CPU');
    expect(client.stdout).toMatch(/^cpu +dropped_before +dropped_after +delta/m);
    expect(client.stdout).toMatch(/^phase burst: sent [\d.]+ Gbit\/s/m);
    expect(server.stdout).toContain('softnet_stat per CPU');
    const c = await resultDir(out, 'client');
    const commands = await readFile(join(c, 'commands.txt'), 'utf8');
    expect(commands).toMatch(
      /-c 127\.0\.0\.1 -p \d+ -J --get-server-output -t 1 -u -b 1G\/32 -P 4 -l 1400/,
    );
    const r = parseIperf3Result(await readFile(join(c, 'iperf3-burst.json'), 'utf8')).value;
    expect(r.complete).toBe(true);
    expect(r.durationS).toBe(1);
    expect(r.directions[0]!.udp!.packets).toBeGreaterThan(0);
  });

  it.skipIf(!hasBusybox)('two phases, the server under busybox sh', async () => {
    const { out, client, server } = await runPair(
      [
        'name: two',
        'duration: 5',
        'phases:',
        '  - {name: udp-slow, protocol: udp, bitrate: 10M, length: 1200}',
        '  - {name: tcp-one, protocol: tcp, streams: 2, bitrate: 50M}',
        '',
      ].join('\n'),
      { server: ['busybox', 'sh'], client: ['dash'] },
    );
    expect(client.exitCode).toBe(0);
    expect(server.exitCode).toBe(0);
    expect(client.stdout).toMatch(/^phase udp-slow: .*lost \d+ of \d+ packets/m);
    expect(client.stdout).toMatch(/^phase tcp-one: .*TCP retransmits/m);
    const s = await resultDir(out, 'server');
    expect(await readdir(s)).toEqual(
      expect.arrayContaining(['iperf3-server-udp-slow.json', 'iperf3-server-tcp-one.json']),
    );
    const tcp = parseIperf3Result(await readFile(join(s, 'iperf3-server-tcp-one.json'), 'utf8'));
    expect(tcp.value.protocol).toBe('tcp');
  });

  it('SIGTERM stops the waiting server and its iperf3, and still captures "after"', async () => {
    const port = await freePort();
    const out = await mkdtemp(join(dir, 'term-'));
    const path = await writeScript(renderReproSh(await loadProfile('microburst')), 'term.sh');
    const run: Run = {
      server: execa('dash', [path, 'server'], {
        cwd: out,
        env: { OUTDIR: out, IPERF3_PORT: String(port) },
        detached: true,
        reject: false,
        timeout: 30_000,
      }),
    };
    try {
      // Wait until the one-off server listens, then stop the script only.
      for (let i = 0; i < 100; i++) {
        const ss = await execa('ss', ['-Hltn', `sport = :${port}`], { reject: false });
        if (ss.stdout.includes(`:${port}`)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      process.kill(run.server.pid!, 'SIGTERM');
      const r = await run.server;
      expect(r.exitCode).toBe(130);
      expect(r.stdout).toContain('interrupted');
      const d = await resultDir(out, 'server');
      expect(await readdir(join(d, 'after'))).toContain('proc_net_softnet_stat.txt');
    } finally {
      await cleanup(run, port);
    }
  });
});
