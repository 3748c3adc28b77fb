import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { impair, resetImpairments } from '../../kit/lab/impair.js';
import { cli } from '../cli-helpers.js';
import { canRunLab } from '../lab-available.js';
import {
  inNetns,
  labHost,
  labState,
  restartSshd,
  sshdPidsIn,
  strayProcesses,
  trafficFlows,
} from '../lab-helpers.js';

// `repro compare` on the lab, for real: the backlog story proven (drops with
// the impaired backlog, none with the fix), and the settings always back as
// they were, after a success, a refused plan, a killed CLI or a lost host.

const BACKLOG = '/proc/sys/net/core/netdev_max_backlog';
const RESTORE_DIR = '/run/dropkit/restore';

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
let config: string;
let state: string;
let out: string;
beforeAll(() => {
  config = tempDir('dropkit-cases-');
  state = tempDir('dropkit-state-');
  out = tempDir('dropkit-compare-');
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// Case keys and restore records go to the test's own dirs, never the user's.
function repro(args: string[]) {
  return cli('repro', args, { XDG_CONFIG_HOME: config, DROPKIT_STATE_DIR: state });
}

function compare(args: string[]) {
  return repro(['compare', '--pair', 'vmA', 'vmB', '--out', out, ...args]);
}

const backlogNow = () => readFileSync(BACKLOG, 'utf8').trim();
const rpsNow = async () =>
  (await inNetns((await labHost('vmB')).netns, 'cat /sys/class/net/eth0/queues/rx-0/rps_cpus'))
    .stdout;
const restoreFiles = () => readdirSync(RESTORE_DIR, { withFileTypes: true }).map((d) => d.name);
const records = () => {
  try {
    return readdirSync(join(state, 'restore'));
  } catch {
    return [];
  }
};

async function until(what: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}

async function noneLeft(): Promise<void> {
  const left = async () => [...(await strayProcesses('vmA')), ...(await strayProcesses('vmB'))];
  await until(async () => !(await left()).length);
  expect(await left()).toEqual([]);
}

async function extract(file: string): Promise<string> {
  const dir = tempDir('dropkit-x-');
  await execa('tar', ['-xzf', file, '-C', dir, '--strip-components=1']);
  return dir;
}

describe.skipIf(!canRunLab())('repro compare on the lab', () => {
  afterEach(async () => {
    await resetImpairments(await labState(), () => undefined);
    await noneLeft();
    // A test that failed halfway must not leave a script for the next one.
    for (const f of restoreFiles()) rmSync(join(RESTORE_DIR, f), { force: true });
    rmSync(join(state, 'restore'), { recursive: true, force: true });
  });

  it('baseline against backlog: BACKLOG drops first in the baseline, none with the fix, and every setting back', async () => {
    await impair(await labState(), { backlog: 10, rpsToCpu: 1 }, () => undefined);
    const [backlogBefore, rpsBefore] = [backlogNow(), await rpsNow()];
    const { hostname } = await labHost('vmB');
    const r = await compare([
      '--variant',
      'baseline',
      '--variant',
      'backlog',
      '--duration',
      '3',
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    const [baseline, backlog] = res.compare.variants;
    expect(baseline.name).toBe('baseline');
    expect(backlog.name).toBe('backlog');
    expect(backlog.settings).toEqual([
      expect.objectContaining({
        host: hostname,
        setting: 'net.core.netdev_max_backlog',
        from: '10',
        to: '32768',
      }),
    ]);
    // The physics: a backlog of 10 against 128-packet trains drops hundreds at
    // least; one of 32768 drops none.
    expect(Number(baseline.dropsByClass.BACKLOG)).toBeGreaterThanOrEqual(100);
    expect(Number(backlog.dropsByClass.BACKLOG ?? 0)).toBe(0);
    expect(res.compare.restore).toEqual(
      expect.arrayContaining([expect.objectContaining({ host: hostname, status: 'restored' })]),
    );
    expect([backlogNow(), await rpsNow()]).toEqual([backlogBefore, rpsBefore]);
    expect(restoreFiles()).toEqual([]);
    expect(records()).toEqual([]);
    // The baseline run's own summary names the backlog first.
    const dir = await extract(res.file);
    const runs = readdirSync(join(dir, 'runs')).sort();
    const first = readFileSync(join(dir, 'runs', runs[0]!, 'summary.md'), 'utf8');
    expect(first.split('## Findings')[1]!.trim().split('\n')[0]).toMatch(/^- \*\*BACKLOG\*\*/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/removed all BACKLOG drops/);
    const v = await cli('collect', ['verify', res.file]);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
  });

  it('a ring on a veth is refused before any traffic, and nothing changes', async () => {
    const before = backlogNow();
    const r = await compare([
      '--variant',
      'baseline',
      '--variant',
      'ring+backlog',
      '--duration',
      '2',
    ]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/vmB: ring: eth0 has no RX ring to resize/);
    expect(r.stderr).toMatch(/nothing was changed on any host/);
    expect(r.stderr).not.toMatch(/traffic/);
    expect(backlogNow()).toBe(before);
    expect(restoreFiles()).toEqual([]);
    expect(records()).toEqual([]);
  });

  it('a login that is not root and has no passwordless sudo is refused before anything changes', async () => {
    const before = backlogNow();
    const r = await repro([
      'compare',
      '--pair',
      'vmA',
      'vmB-user',
      '--variant',
      'backlog',
      '--duration',
      '2',
      '--out',
      out,
    ]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/vmB-user: changing settings needs root, and dklab is not root/);
    expect(backlogNow()).toBe(before);
    expect(restoreFiles()).toEqual([]);
  });

  it('the CLI killed (SIGKILL) during a mitigated run: the host restores itself, and `repro restore` verifies', async () => {
    await impair(await labState(), { backlog: 10 }, () => undefined);
    const child = compare(['--variant', 'backlog', '--duration', '8']);
    await trafficFlows();
    expect(backlogNow()).toBe('32768');
    child.kill('SIGKILL');
    await child;
    // The guard sees its connection close and puts the original back.
    expect(await until(() => backlogNow() === '10')).toBe(true);
    const r = await repro(['restore', '--pair', 'vmA', 'vmB', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    const vmB = res.hosts.find((h: { host: string }) => h.host === 'vmB');
    expect(vmB.ok).toBe(true);
    expect(vmB.guardLogs.length).toBe(1);
    // This machine's record was run too, and read every value back.
    expect(vmB.restored).toEqual([
      expect.objectContaining({ ok: true, values: { 'net.core.netdev_max_backlog': '10' } }),
    ]);
    expect(backlogNow()).toBe('10');
    expect(restoreFiles()).toEqual([]);
    expect(records()).toEqual([]);
  });

  it("B's sshd killed mid-variant: a partial bundle, the restore reported pending, and the host restores itself", async () => {
    await impair(await labState(), { backlog: 10 }, () => undefined);
    const vmB = await labHost('vmB');
    const child = compare(['--variant', 'backlog', '--duration', '6', '--json']);
    try {
      await trafficFlows();
      for (const p of await sshdPidsIn(vmB.netns)) process.kill(p, 'SIGKILL');
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(8);
      const res = JSON.parse(r.stdout);
      expect(res.status).toBe('partial');
      const pending = res.compare.restore.find((h: { host: string }) => h.host === vmB.hostname);
      expect(pending.status).toBe('pending');
      expect(JSON.stringify(res.compare.restore)).toMatch(/repro restore --pair vmA vmB/);
      expect(await until(() => backlogNow() === '10')).toBe(true);
    } finally {
      await restartSshd('vmB');
    }
    const r = await repro(['restore', '--node', 'vmB']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /vmB: the host's guard ran the restore script when dropkit's connection closed/,
    );
    expect(records()).toEqual([]);
  });
});
