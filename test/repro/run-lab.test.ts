import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { impair, resetImpairments } from '../../kit/lab/impair.js';
import { cli } from '../cli-helpers.js';
import { canRunLab } from '../lab-available.js';
import {
  LAB_SSH_CONFIG,
  labHost,
  labState,
  restartSshd,
  sshdPidsIn,
  strayProcesses,
  trafficFlows,
} from '../lab-helpers.js';

// dropkit's tracefs instances, seen from vmB's own mount namespace.
async function tracefsInstances(): Promise<string[]> {
  const vmB = await labHost('vmB');
  const [sshd] = await sshdPidsIn(vmB.netns);
  const r = await execa(
    'nsenter',
    ['-t', String(sshd), '-m', 'ls', '/sys/kernel/tracing/instances'],
    { reject: false },
  );
  return r.stdout.split('\n').filter((l) => l.startsWith('dropkit-'));
}

// Every temp dir the file makes, removed once at the end. Made in beforeAll,
// not at import: with the lab missing every suite is skipped, and so is afterAll.
const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
let config: string;
let out: string;
beforeAll(() => {
  config = tempDir('dropkit-cases-');
  out = tempDir('dropkit-repro-');
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// Every CLI run of the file: case keys go to the test's private config,
// never to the user's ~/.config/dropkit.
function dropkit(bin: 'repro' | 'collect', args: string[]) {
  return cli(bin, args, { XDG_CONFIG_HOME: config });
}

// `repro run …` as a user runs it.
function repro(args: string[]) {
  return dropkit('repro', ['run', ...args]);
}

// A 3 s run of a built-in profile with --json; it must succeed.
async function shortRun(profile: string) {
  const r = await repro([
    '--pair',
    'vmA',
    'vmB',
    '--profile',
    profile,
    '--duration',
    '3',
    '--out',
    out,
    '--json',
  ]);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function bundleOf(stdout: string): string {
  const m = stdout.match(/"file": "([^"]+)"/) ?? stdout.match(/^bundle: (.+)$/m);
  if (!m) throw new Error(`no bundle in: ${stdout}`);
  return m[1]!;
}

async function extract(file: string): Promise<string> {
  const dir = tempDir('dropkit-x-');
  await execa('tar', ['-xzf', file, '-C', dir, '--strip-components=1']);
  return dir;
}

async function noneLeft(): Promise<void> {
  // Samplers and iperf3 must be gone from both hosts (after a cut link, once
  // sshd's ClientAlive has ended the session: up to ~10 s).
  for (let i = 0; i < 75; i++) {
    const left = [...(await strayProcesses('vmA')), ...(await strayProcesses('vmB'))];
    if (!left.length) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect([...(await strayProcesses('vmA')), ...(await strayProcesses('vmB'))]).toEqual([]);
}

describe.skipIf(!canRunLab())('repro run on the lab', () => {
  afterEach(async () => {
    await resetImpairments(await labState(), () => undefined);
    await noneLeft();
  });

  it('reproduces backlog drops on the receiver, names them with the window, and bundles the evidence', async () => {
    await impair(await labState(), { backlog: 10, rpsToCpu: 1 }, () => undefined);
    const res = await shortRun('microburst');
    const vmB = await labHost('vmB');
    const backlog = res.findings.find((f: { class: string }) => f.class === 'BACKLOG');
    expect(backlog.host).toBe(vmB.hostname);
    expect(backlog.line).toContain('sysctl -w net.core.netdev_max_backlog=');
    const dir = await extract(res.file);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    // The first finding is the backlog, with its exact fix.
    expect(summary.split('## Findings')[1]!.trim().split('\n')[0]).toMatch(
      /^- \*\*BACKLOG\*\* .*sysctl -w net\.core\.netdev_max_backlog=\d+/,
    );
    // The summary opens with where the loss went: the backlog's drops add up
    // to what iperf3 lost, within the stated tolerance, so it is inside the guest.
    const opening = summary.split('## Findings')[0]!;
    expect(opening).toMatch(
      /## Where the loss went\n\nLost [\d,]+ = NIC\/ring 0 \+ backlog [\d,]+ \+ socket [\d,]+ \+ qdisc 0 \+ unexplained -?[\d,]+ /,
    );
    const { accounting, checks } = JSON.parse(
      readFileSync(join(dir, 'summary.json'), 'utf8'),
    ).repro;
    expect(accounting.lost).toBeGreaterThan(100);
    expect(Math.abs(accounting.unexplained)).toBeLessThanOrEqual(accounting.tolerance);
    expect(accounting.verdict).toBe('guest');
    expect(opening).toContain('Verdict: the loss is inside the guest');
    expect(checks.map((c: { id: string }) => c.id)).toContain('rate');
    // softnet dropped and the veth's dropped both moved, with when.
    expect(summary).toMatch(
      /\| .*receiver.* \| softnet\.cpu1\.dropped \| [\d,]+ \| [\d,]+\/s \| \d{4}-\d\d-\d\dT[\d:.]+Z → /,
    );
    expect(summary).toMatch(/\| .*receiver.* \| iface\.eth0\.rx_dropped \| [\d,]+ \|/);
    expect(summary).toMatch(/\| burst \| client-to-server \| UDP \|/);
    const csv = readFileSync(join(dir, 'repro/series.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('t_ms,time,host,role,key,value');
    expect(csv).toMatch(/,softnet\.cpu1\.dropped,\d+/);
    const meta = JSON.parse(readFileSync(join(dir, 'repro/series-meta.json'), 'utf8'));
    expect(meta.hosts).toHaveLength(2);
    expect(Math.abs(meta.hosts[0].offsetMs)).toBeLessThan(1000);
    expect(meta.hosts[1].sampler.samples).toBeGreaterThan(20);
    for (const p of [
      'repro/iperf3/burst-client.json',
      'repro/iperf3/burst-server.json',
      'repro/profile.yaml',
      'repro/commands.txt',
      'repro/repro.sh',
    ]) {
      expect(readFileSync(join(dir, p)).length, p).toBeGreaterThan(0);
    }
    const hosts = readdirSync(join(dir, 'hosts'));
    expect(hosts).toHaveLength(2);
    for (const h of hosts)
      expect(readdirSync(join(dir, 'hosts', h)).sort()).toEqual(['after', 'before', 'delta.json']);
    // The drop-reason trace on the receiver names the kernel's own reason and place.
    const trace = JSON.parse(readFileSync(join(dir, 'repro/trace/receiver-meta.json'), 'utf8'));
    expect(trace.totals).toContainEqual(
      expect.objectContaining({ reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }),
    );
    expect(summary).toContain('kfree_skb CPU_BACKLOG at enqueue_to_backlog');
    expect(await tracefsInstances()).toEqual([]);
    const v = await dropkit('collect', ['verify', res.file]);
    expect(v.exitCode, v.stdout).toBe(0);
    // A support engineer can re-derive the deltas and findings from the bundle alone.
    const a = await dropkit('collect', ['analyze', res.file, '--json']);
    const aj = JSON.parse(a.stdout);
    expect(aj.deltas).toHaveLength(2);
    expect(aj.findings.map((f: { class: string }) => f.class)).toContain('BACKLOG');
  });

  it('a UDP flood without impairment is a SOCKET finding, not a BACKLOG one', async () => {
    const res = await shortRun('udp-flood');
    const classes = res.findings.map((f: { class: string }) => f.class);
    expect(classes).toContain('SOCKET');
    expect(classes).not.toContain('BACKLOG');
    const dir = await extract(res.file);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/Udp RcvbufErrors: \+[\d,]+/);
    expect(summary).toMatch(/kfree_skb SOCKET_RCVBUFF/);
    expect(await tracefsInstances()).toEqual([]);
  });

  it('with the impairment reset, backlog drops are at or near zero', async () => {
    const res = await shortRun('microburst');
    expect(res.findings.map((f: { class: string }) => f.class)).not.toContain('BACKLOG');
    const dropped = res.repro.moved.filter((m: { key: string }) =>
      /softnet\.cpu\d+\.dropped/.test(m.key),
    );
    for (const m of dropped) expect(Number(m.delta)).toBeLessThan(100);
  });

  it('a gentle TCP run gives no finding', async () => {
    const profile = join(out, 'gentle.yaml');
    writeFileSync(
      profile,
      'name: gentle\ndescription: one slow TCP stream\nduration: 2\nphases:\n  - name: trickle\n    protocol: tcp\n    streams: 1\n    bitrate: 50M\n',
    );
    const r = await repro([
      ...['--pair', 'vmA', 'vmB', '--profile', profile, '--out', out, '--json'],
      ...['--share-identity', '--yes'],
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.findings).toEqual([]);
    // --share-identity names each host's role and the interface the traffic
    // crossed as its primary NIC.
    const dir = await extract(res.file);
    const identity = JSON.parse(readFileSync(join(dir, 'identity.json'), 'utf8'));
    expect(
      identity.hosts.map((h: { role: string; primaryNic: { name: string; chosen: string } }) => [
        h.role,
        h.primaryNic.name,
        h.primaryNic.chosen,
      ]),
    ).toEqual([
      ['sender', 'eth0', 'data interface of the run'],
      ['receiver', 'eth0', 'data interface of the run'],
    ]);
  });

  it('repro.sh from the bundle runs between the lab hosts by hand and shows the counters', async () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.tar.gz'));
    const dir = await extract(join(out, files[0]!));
    const script = readFileSync(join(dir, 'repro/repro.sh'));
    const vmB = await labHost('vmB');
    const ssh = (host: string, args: string) =>
      execa(
        'ssh',
        [
          '-F',
          LAB_SSH_CONFIG,
          '-o',
          'BatchMode=yes',
          host,
          `d=$(mktemp -d) && cd "$d" && DURATION=1 sh -s ${args}; rc=$?; rm -rf "$d"; exit $rc`,
        ],
        { input: script, reject: false },
      );
    const server = ssh('vmB', 'server');
    await new Promise((r) => setTimeout(r, 1000));
    const client = await ssh('vmA', `client ${vmB.address}`);
    const srv = await server;
    expect(client.exitCode, client.stderr).toBe(0);
    expect(srv.exitCode, srv.stderr).toBe(0);
    expect(client.stdout).toMatch(/softnet/i);
    expect(srv.stdout).toMatch(/softnet/i);
  });
});

describe.skipIf(!canRunLab())('repro run: bad input and faults', () => {
  afterEach(async () => {
    await noneLeft();
  });

  it('an unknown profile, a malformed YAML, and a duration above the cap are clear usage errors', async () => {
    const unknown = await repro(['--pair', 'vmA', 'vmB', '--profile', 'nosuch']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/microburst/);
    const bad = join(out, 'bad.yaml');
    writeFileSync(
      bad,
      'name: bad\ndescription: x\nphases:\n  - name: p\n    protocol: udp\n    streams: -3\n    bitrate: 1G\n',
    );
    const malformed = await repro(['--pair', 'vmA', 'vmB', '--profile', bad]);
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toMatch(/bad\.yaml:6:\d+: .*streams/);
    const broken = join(out, 'broken.yaml');
    writeFileSync(broken, 'name: x\nphases: [\n  - {\n');
    const syntax = await repro(['--pair', 'vmA', 'vmB', '--profile', broken]);
    expect(syntax.exitCode).toBe(2);
    expect(syntax.stderr).toMatch(/broken\.yaml:\d+/);
    const long = await repro(['--pair', 'vmA', 'vmB', '--duration', '4000']);
    expect(long.exitCode).toBe(2);
    expect(long.stderr).toMatch(/above the 300 s duration cap/);
  });

  it('iperf3 missing on the receiver fails the preflight, naming the host', async () => {
    const vmB = await labHost('vmB');
    const [sshd] = await sshdPidsIn(vmB.netns);
    // Hide iperf3 in vmB's own mount namespace only, as on a host without it.
    await execa('nsenter', [
      '-t',
      String(sshd),
      '-m',
      'mount',
      '--bind',
      '/dev/null',
      '/usr/bin/iperf3',
    ]);
    try {
      const r = await repro(['--pair', 'vmA', 'vmB', '--out', out]);
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(/error: vmB: preflight: .*iperf3/);
      expect(r.stderr).toMatch(/hint: .*iperf3/);
    } finally {
      await execa('nsenter', ['-t', String(sshd), '-m', 'umount', '/usr/bin/iperf3']);
    }
  });

  it('a busy port is refused, naming the host and step', async () => {
    const vmB = await labHost('vmB');
    await execa('ip', [
      'netns',
      'exec',
      vmB.netns,
      'iperf3',
      '-s',
      '-p',
      '5290',
      '-D',
      '-I',
      join(out, 'busy.pid'),
    ]);
    try {
      const r = await repro(['--pair', 'vmA', 'vmB', '--port', '5290', '--out', out]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/error: vmB: port: port 5290 is already in use/);
    } finally {
      process.kill(Number(readFileSync(join(out, 'busy.pid'), 'utf8')), 'SIGTERM');
    }
  });

  it("B's sshd killed mid-run: a partial bundle, a clear error, nothing left running", async () => {
    const vmB = await labHost('vmB');
    const child = repro(['--pair', 'vmA', 'vmB', '--duration', '6', '--out', out, '--json']);
    try {
      await trafficFlows();
      for (const p of await sshdPidsIn(vmB.netns)) process.kill(p, 'SIGKILL');
      const r = await child;
      expect(r.exitCode).toBe(3);
      const res = JSON.parse(r.stdout);
      expect(res.status).toBe('partial');
      expect(JSON.stringify(res.error)).toMatch(/vmB/);
      expect(JSON.stringify(res.hosts)).toMatch(/partial/);
    } finally {
      await restartSshd('vmB');
    }
  });

  it("B's link cut mid-run: the loss is detected by keepalive, a partial bundle, and B's processes stop once the session ends", async () => {
    const vmB = await labHost('vmB');
    const child = repro(['--pair', 'vmA', 'vmB', '--duration', '8', '--out', out, '--json']);
    try {
      await trafficFlows();
      await execa('ip', ['link', 'set', vmB.hostVeth, 'down']);
      const r = await child;
      expect(r.exitCode).toBe(3);
      const res = JSON.parse(r.stdout);
      expect(res.status).toBe('partial');
      expect(res.error.host).toBe('vmB');
      expect(res.error.code).toBe('CONNECTION_LOST');
    } finally {
      await execa('ip', ['link', 'set', vmB.hostVeth, 'up']);
    }
    // sshd's ClientAlive ends the session; tied processes then stop (noneLeft).
  });

  it('SIGINT mid-run: exit 130, the bundle keeps what was captured, nothing left running', async () => {
    const child = repro(['--pair', 'vmA', 'vmB', '--duration', '8', '--out', out]);
    await trafficFlows();
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping and cleaning up/);
    expect(r.stderr).toMatch(/cleanup .*no dropkit process left/);
    const file = bundleOf(r.stdout);
    const dir = await extract(file);
    const run = JSON.parse(readFileSync(join(dir, 'repro/run.json'), 'utf8'));
    expect(run.interrupted).toBe(true);
    expect(readdirSync(join(dir, 'hosts')).length).toBe(2);
    // The tracer's teardown ran on the interrupt too.
    expect(await tracefsInstances()).toEqual([]);
  });
});
