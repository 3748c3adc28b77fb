import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_ID } from '../../kit/transport/command-line.js';
import { runCompare } from '../../repro/compare/compare.js';
import type { CompareRecord } from '../../repro/compare/record.js';
import type { LocalRecord } from '../../repro/mitigations/local-record.js';
import { fixture } from '../collectors/fixture-files.js';
import type { FakeTransport } from '../fakes/fake-transport.js';
import * as c from './compare-hosts.js';
import * as h from './run-hosts.js';

// A whole `repro compare` against the two fake hosts, in milliseconds and
// without root: the steps and the commands each host gets, what is changed
// on the receiver and when, and what the record says after a success, a
// refused plan, a restore that does not verify, a Ctrl-C and a lost host.

// Each comparison takes well under a second: one that waits on something
// that never ends (a guard never released) fails here, not after a minute.
vi.setConfig({ testTimeout: 10_000 });

let stateDir: string;
const savedStateDir = process.env['DROPKIT_STATE_DIR'];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'dropkit-compare-'));
  process.env['DROPKIT_STATE_DIR'] = stateDir;
});

afterEach(() => {
  if (savedStateDir === undefined) delete process.env['DROPKIT_STATE_DIR'];
  else process.env['DROPKIT_STATE_DIR'] = savedStateDir;
  rmSync(stateDir, { recursive: true, force: true });
});

// The operator-side records, as files.
function localRecords(): LocalRecord[] {
  const dir = join(stateDir, 'restore');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as LocalRecord);
}

const RUN_STEPS = [
  'ok snapshots before',
  'ok samplers',
  'ok drop tracing',
  'ok traffic: burst',
  'ok samplers stopped',
  'ok snapshots after',
];

// vmB's commands in one run of the reproduction.
const VMB_RUN = [
  h.SAMPLER,
  h.SNAPSHOT_BEFORE,
  h.TRACER,
  h.SERVER,
  h.PORT_CHECK,
  h.SNAPSHOT_AFTER,
  h.TRACER_LEFTOVER,
];
const VMA_RUN = [h.SAMPLER, h.SNAPSHOT_BEFORE, h.CLIENT, h.SNAPSHOT_AFTER];
const VMB_SETUP = [h.PROBE, h.CLOCK, h.CLOCK, h.CLOCK, h.PORTS];
const VMA_SETUP = [h.PROBE, h.CLOCK, h.CLOCK, h.CLOCK, h.ROUTE];
const SWEEPS = [h.SWEEP_KILL];

const BACKLOG = '/proc/sys/net/core/netdev_max_backlog';
const BACKLOG_ORIGINAL = {
  label: 'net.core.netdev_max_backlog',
  target: { kind: 'file', path: BACKLOG, ns: 2 },
  value: '10',
};

// The comparison's own steps (setup, final restore, cleanup) as `ok NAME`.
function sharedSteps(cr: CompareRecord): string[] {
  return cr.steps.map((s) => `${s.ok ? 'ok' : 'FAIL'} ${s.step}`);
}

function runsOf(cr: CompareRecord): string[] {
  return cr.runs.map((r) => `${r.variant} #${r.repeat}`);
}

// Commands that change or restore settings, or touch the restore script.
function mitigationCalls(t: FakeTransport): string[] {
  return t
    .keys()
    .filter((k) => [c.STATE, c.INSTALL, c.GUARD, c.APPLY, c.RESTORE, c.REMOVE].includes(k));
}

describe('baseline and backlog', () => {
  it('plans, installs the restore, applies before the backlog run, restores after it and at the end', async () => {
    let recordsDuringApply: LocalRecord[] = [];
    const p = c.comparePair({
      vmB: (b) => ({
        [c.APPLY]: (call) => {
          recordsDuringApply = localRecords();
          return b.run(call.req.script ?? '', 'apply');
        },
      }),
    });
    const o = c.compareOptions(p, ['baseline', 'backlog']);
    const cr = await runCompare(o);

    expect(cr.error).toBeUndefined();
    expect(cr.interrupted).toBe(false);
    expect(sharedSteps(cr)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'ok plan',
      'ok restore script',
      'ok final restore',
      'ok cleanup',
    ]);
    expect(runsOf(cr)).toEqual(['baseline #1', 'backlog #1']);
    expect(h.stepsOf(cr.runs[0]!.rec)).toEqual(RUN_STEPS);
    expect(h.stepsOf(cr.runs[1]!.rec)).toEqual(['ok apply', ...RUN_STEPS, 'ok restore']);
    // Everything in the order the operator saw it.
    expect(o.progress.lines).toEqual([
      'ok connect: ',
      'ok preflight: ',
      'ok port: 5201 on vmB',
      'ok addresses: vmA → 198.18.0.12 (vmB) via eth0',
      'ok plan: 1 change(s) in 1 variant(s)',
      'ok restore script: ',
      'ok snapshots before: ',
      'ok samplers: ',
      'ok drop tracing: skb:kfree_skb on vmB',
      'ok traffic: burst: 2 s of UDP vmA → vmB',
      'ok samplers stopped: ',
      'ok snapshots after: ',
      'ok apply: net.core.netdev_max_backlog 10 → 32768 on vmB',
      'ok snapshots before: ',
      'ok samplers: ',
      'ok drop tracing: skb:kfree_skb on vmB',
      'ok traffic: burst: 2 s of UDP vmA → vmB',
      'ok samplers stopped: ',
      'ok snapshots after: ',
      'ok restore: every changed setting read back as it was',
      'ok final restore: vmA unchanged, vmB restored',
      'ok cleanup: no dropkit process left on either host',
    ]);

    // vmB: the host state as root, the restore script on stdin as root, its
    // guard, then each run; apply before the backlog run, restore after it
    // and once more at the end, then the script removed.
    expect(h.overlapOrder(p.vmB.keys())).toEqual([
      ...VMB_SETUP,
      c.STATE,
      c.INSTALL,
      c.GUARD,
      ...VMB_RUN,
      c.APPLY,
      ...VMB_RUN,
      c.RESTORE,
      c.RESTORE,
      c.REMOVE,
      ...SWEEPS,
    ]);
    for (const k of [c.STATE, c.INSTALL, c.GUARD, c.APPLY, c.RESTORE, c.REMOVE])
      expect(p.vmB.calls.filter((x) => x.key === k).every((x) => x.root)).toBe(true);
    expect(p.vmB.call(c.GUARD)).toMatchObject({
      tied: true,
      root: true,
      released: true,
      end: 'released',
    });
    // vmA is not changed at all.
    expect(p.vmA.keys()).toEqual([...VMA_SETUP, ...VMA_RUN, ...VMA_RUN, ...SWEEPS]);

    // What happened on vmB, in order: only the two writes, the guard
    // released after the script was removed (so it had nothing left to run).
    expect(p.b.events).toEqual([
      `install ${c.SCRIPT}`,
      'guard started',
      `apply: ${BACKLOG} (ns 2) = 32768`,
      `restore: ${BACKLOG} (ns 2) = 10`,
      `remove ${c.SCRIPT}`,
      'guard released',
    ]);
    expect(p.b.values.get(BACKLOG)).toBe('10');
    expect(p.b.readbacks).toEqual([
      'net.core.netdev_max_backlog\t32768\n',
      'net.core.netdev_max_backlog\t10\n',
      'net.core.netdev_max_backlog\t10\n',
    ]);

    // The restore script as installed: bound to vmB's network namespace, it
    // writes the original back through kthreadd's namespace.
    expect(c.SCRIPT).toBe(`/run/dropkit/restore/${RUN_ID}-4026532241.sh`);
    expect(p.vmB.call(c.INSTALL)?.key.endsWith(` sh ${c.SCRIPT}`)).toBe(true);
    // The script itself came on stdin, never in argv.
    expect(c.INSTALL).not.toContain('netdev_max_backlog');
    expect(p.b.script).toBeUndefined();

    // The record: what changed and how it was put back.
    expect(cr.variants).toEqual([
      { name: 'baseline', settings: [] },
      {
        name: 'backlog',
        settings: [
          expect.objectContaining({
            host: 'vmB',
            role: 'receiver',
            mitigation: 'backlog',
            setting: 'net.core.netdev_max_backlog',
            from: '10',
            to: '32768',
            via: expect.stringContaining('nsenter -t 2 -n'),
          }),
        ],
      },
    ]);
    expect(cr.runs[1]!.settings).toBe(cr.variants[1]!.settings);
    expect(cr.restore).toEqual([
      { host: 'vmA', status: 'unchanged' },
      { host: 'vmB', status: 'restored' },
    ]);
    // Each run has its own measurements.
    expect(cr.runs.map((r) => r.rec.phases.map((x) => x.clientJson))).toEqual([
      [fixture('iperf3/udp-burst-P2-client.json')],
      [fixture('iperf3/udp-burst-P2-client.json')],
    ]);
    expect(cr.runs.map((r) => r.rec.hosts.map((x) => !!x.before && !!x.after))).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(cr.runs[0]!.rec.hosts[1].sampler).not.toBe(cr.runs[1]!.rec.hosts[1].sampler);

    // The local record was there while the change was, and is gone.
    expect(recordsDuringApply).toEqual([
      {
        schema: 'dropkit.restore/1',
        runId: RUN_ID,
        createdAt: expect.any(String),
        host: 'vmB',
        netns: c.NETNS,
        script: c.SCRIPT,
        originals: [BACKLOG_ORIGINAL],
      },
    ]);
    expect(localRecords()).toEqual([]);
    expect(readdirSync(join(stateDir, 'restore'))).toEqual([]);
    expect(p.vmA.closed && p.vmB.closed).toBe(true);
  });

  it('the restore script it installs is the one that puts vmB back', async () => {
    let installed = '';
    const p = c.comparePair({
      vmB: (b) => ({
        [c.INSTALL]: (call) => {
          installed = String(call.req.stdin);
          b.script = installed;
          return {};
        },
      }),
    });
    await runCompare(c.compareOptions(p, ['backlog']));
    expect(p.vmB.call(c.INSTALL)?.root).toBe(true);
    const lines = installed.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain(
      `[ "$(readlink /proc/self/ns/net 2>/dev/null)" = 'net:[4026532241]' ] || { echo 'not the network namespace this script was written for' >&2; exit 3; }`,
    );
    expect(lines).toContain(`file ${BACKLOG} 10 2 net.core.netdev_max_backlog`);
    expect(lines.at(-2)).toBe('exit $rc');
  });
});

describe('a plan that cannot be carried out changes nothing', () => {
  it('ring=99999 above the NIC`s preset maximum: refused at the plan, naming the maximum, before any traffic', async () => {
    const p = c.comparePair({ stateText: c.withRing(c.STATE_VMB, c.ENA_RING) });
    const cr = await runCompare(c.compareOptions(p, ['baseline', 'ring=99999']));
    expect(cr.error?.code).toBe('PREFLIGHT_FAILED');
    expect(cr.error?.oneLine).toBe(
      "vmB: plan: vmB: ring: rx 99999 is above eth0's preset maximum of 16384 (ethtool -g eth0)",
    );
    expect(cr.error?.hint).toBe('nothing was changed on any host');
    expect(sharedSteps(cr)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'FAIL plan',
      'ok cleanup',
    ]);
    expect(cr.runs).toEqual([]);
    expect(p.vmB.keys()).toEqual([...VMB_SETUP, c.STATE, ...SWEEPS]);
    expect(p.vmA.keys()).toEqual([...VMA_SETUP, ...SWEEPS]);
    expect(p.b.events).toEqual([]);
    expect(p.b.values.get('ring:eth0')).toBe('1024');
    expect(localRecords()).toEqual([]);
  });

  it('the same fixture allows ring up to the maximum: the default is the maximum', async () => {
    const p = c.comparePair({ stateText: c.withRing(c.STATE_VMB, c.ENA_RING) });
    const cr = await runCompare(c.compareOptions(p, ['ring']));
    expect(cr.error).toBeUndefined();
    expect(cr.variants[0]!.settings.map((s) => `${s.setting} ${s.from} → ${s.to}`)).toEqual([
      'eth0 rx ring 1024 → 16384',
    ]);
    expect(p.b.events).toEqual([
      `install ${c.SCRIPT}`,
      'guard started',
      'apply: ring:eth0 = 16384',
      'restore: ring:eth0 = 1024',
      `remove ${c.SCRIPT}`,
      'guard released',
    ]);
    expect(cr.restore[1]).toEqual({ host: 'vmB', status: 'restored' });
  });

  it('a login that is not root and whose sudo wants a password: refused, naming the user, before any change', async () => {
    const p = c.comparePair({ vmB: () => ({ [h.PROBE]: { stdout: c.PROBE_VMB_NO_SUDO } }) });
    Object.assign(p.vmB.info, { user: 'dklab', isRoot: false });
    const cr = await runCompare(c.compareOptions(p, ['baseline', 'backlog']));
    expect(cr.error?.code).toBe('PREFLIGHT_FAILED');
    expect(cr.error?.host).toBe('vmB');
    expect(cr.error?.message).toBe(
      'vmB: changing settings needs root, and dklab is not root and has no passwordless sudo: log in as root, or allow `sudo -n` for this user',
    );
    expect(sharedSteps(cr)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'FAIL plan',
      'ok cleanup',
    ]);
    // Not even the host state was read (it needs root), and nothing as root.
    expect(mitigationCalls(p.vmB)).toEqual([]);
    expect(p.vmB.calls.filter((x) => x.root)).toEqual([]);
    expect(p.vmB.keys()).toEqual([...VMB_SETUP, ...SWEEPS]);
    expect(cr.runs).toEqual([]);
    expect(localRecords()).toEqual([]);
  });

  it('a restore still pending from an earlier run: refused until `repro restore`', async () => {
    const pending = `${c.STATE_VMB}pending\t0123456789ab-4026532241.sh\n`;
    const p = c.comparePair({ stateText: pending });
    const cr = await runCompare(c.compareOptions(p, ['backlog']));
    expect(cr.error?.code).toBe('PREFLIGHT_FAILED');
    expect(cr.error?.message).toBe(
      'vmB: a restore is pending from an earlier run (0123456789ab-4026532241.sh); run `repro restore --node vmB` first',
    );
    expect(mitigationCalls(p.vmB)).toEqual([c.STATE]);
  });
});

describe('a restore that does not read back as it was', () => {
  it('is RESTORE_FAILED: no further variant runs, the script and the record stay (failed)', async () => {
    const p = c.comparePair();
    // vmB will not take the backlog's original value back.
    p.b.refused.add(`${BACKLOG}=10`);
    const o = c.compareOptions(p, ['baseline', 'backlog'], { repeat: 2 });
    const cr = await runCompare(o);
    expect(cr.error?.code).toBe('RESTORE_FAILED');
    expect(cr.error?.message).toBe('vmB: net.core.netdev_max_backlog is 32768, not 10');
    expect(cr.error?.hint).toBe(
      'no further variant runs; the restore scripts stay on the hosts for `repro restore`',
    );
    // Interleaved: baseline, backlog, then it stopped.
    expect(runsOf(cr)).toEqual(['baseline #1', 'backlog #1']);
    expect(h.stepsOf(cr.runs[1]!.rec)).toEqual(['ok apply', ...RUN_STEPS, 'FAIL restore']);
    expect(sharedSteps(cr).slice(-2)).toEqual(['FAIL final restore', 'ok cleanup']);
    expect(cr.restore).toEqual([
      { host: 'vmA', status: 'unchanged' },
      {
        host: 'vmB',
        status: 'failed',
        detail: 'net.core.netdev_max_backlog is 32768, not 10',
        script: c.SCRIPT,
      },
    ]);
    // Restored after the run, again at the end, and once more after the
    // guard's own try; the script never removed.
    expect(mitigationCalls(p.vmB)).toEqual([
      c.STATE,
      c.INSTALL,
      c.GUARD,
      c.APPLY,
      c.RESTORE,
      c.RESTORE,
      c.RESTORE,
    ]);
    expect(p.vmB.keys()).not.toContain(c.REMOVE);
    expect(p.b.script).toBeDefined();
    // Released at the end with its script still there, the guard runs it once
    // more (on a real host this also leaves a guard log next to it).
    expect(p.b.events).toEqual([
      `install ${c.SCRIPT}`,
      'guard started',
      `apply: ${BACKLOG} (ns 2) = 32768`,
      'guard ran the script: exit 1',
      'guard released',
    ]);
    expect(localRecords().map((r) => r.script)).toEqual([c.SCRIPT]);
    expect(p.b.values.get(BACKLOG)).toBe('32768');
  });
});

describe('Ctrl-C during the backlog run`s traffic', () => {
  it('still restores vmB and verifies it; the comparison is interrupted and runs nothing more', async () => {
    const ctrlC = new AbortController();
    const p = c.comparePair({ during: () => ({ round: 2, act: () => ctrlC.abort() }) });
    const o = c.compareOptions(p, ['baseline', 'backlog'], { repeat: 2, signal: ctrlC.signal });
    const cr = await runCompare(o);
    expect(cr.interrupted).toBe(true);
    expect(cr.error?.code).toBe('ABORTED');
    expect(runsOf(cr)).toEqual(['baseline #1', 'backlog #1']);
    const backlogRun = cr.runs[1]!.rec;
    expect(backlogRun.interrupted).toBe(true);
    expect(h.stepsOf(backlogRun)).toEqual([
      'ok apply',
      ...RUN_STEPS.slice(0, 4),
      'FAIL samplers stopped',
      'ok restore',
    ]);
    expect(sharedSteps(cr).slice(-2)).toEqual(['ok final restore', 'ok cleanup']);
    expect(cr.restore).toEqual([
      { host: 'vmA', status: 'unchanged' },
      { host: 'vmB', status: 'restored' },
    ]);
    expect(p.b.events).toEqual([
      `install ${c.SCRIPT}`,
      'guard started',
      `apply: ${BACKLOG} (ns 2) = 32768`,
      `restore: ${BACKLOG} (ns 2) = 10`,
      `remove ${c.SCRIPT}`,
      'guard released',
    ]);
    expect(p.b.values.get(BACKLOG)).toBe('10');
    // The interrupted run still has its "after" snapshots.
    expect(backlogRun.hosts.map((x) => !!x.after)).toEqual([true, true]);
    expect(localRecords()).toEqual([]);
  });
});

describe('the receiver lost during the backlog run', () => {
  it('leaves vmB pending with the `repro restore` hint, keeps the partial run, and its guard restores it', async () => {
    const p = c.comparePair({ during: (cp) => ({ round: 2, act: () => cp().vmB.lose() }) });
    const o = c.compareOptions(p, ['baseline', 'backlog'], { repeat: 2 });
    const cr = await runCompare(o);
    expect(cr.error?.code).toBe('CONNECTION_LOST');
    expect(cr.error?.oneLine).toBe(
      'vmB: iperf3 server (burst): SSH connection lost: connection closed by remote host',
    );
    expect(runsOf(cr)).toEqual(['baseline #1', 'backlog #1']);
    const run = cr.runs[1]!.rec;
    expect(h.stepsOf(run)).toEqual([
      'ok apply',
      ...RUN_STEPS.slice(0, 3),
      'FAIL traffic: burst',
      'FAIL restore',
    ]);
    // The partial run is kept: both "before" snapshots, the sender's "after".
    expect(run.hosts.map((x) => [!!x.before, !!x.after])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(run.hosts[1].failure).toEqual({
      step: 'connection',
      message: 'SSH connection lost: connection closed by remote host',
    });
    expect(cr.restore[0]).toEqual({ host: 'vmA', status: 'unchanged' });
    expect(cr.restore[1]).toEqual({
      host: 'vmB',
      status: 'pending',
      detail: expect.stringContaining('`repro restore` verifies'),
      script: c.SCRIPT,
    });
    expect(cr.restore[1]?.detail).toMatch(
      /^not verified \(.*SSH connection lost.*\); the host restores itself when its end of the connection closes/,
    );
    const final = cr.steps.find((s) => s.step === 'final restore');
    expect(final).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^final restore: vmB pending: not verified/),
    });
    expect(o.progress.lines.find((l) => l.startsWith('FAIL final restore'))).toBeDefined();
    // Nothing after the loss reached vmB (the tracer's leftover check, the
    // two restores, the sweep); the local record stays for `repro restore`.
    expect(p.vmB.calls.filter((x) => x.end === 'refused').map((x) => x.key)).toEqual([
      h.TRACER_LEFTOVER,
      c.RESTORE,
      c.RESTORE,
      h.SWEEP_KILL,
    ]);
    expect(localRecords().map((r) => [r.host, r.script])).toEqual([['vmB', c.SCRIPT]]);
    // On the host, the guard saw its connection close and ran the script.
    expect(p.b.events).toEqual([
      `install ${c.SCRIPT}`,
      'guard started',
      `apply: ${BACKLOG} (ns 2) = 32768`,
      `guard: ${BACKLOG} (ns 2) = 10`,
      'guard ran the script: exit 0',
      'guard lost',
    ]);
    expect(p.b.values.get(BACKLOG)).toBe('10');
    expect(p.vmA.closed && p.vmB.closed).toBe(true);
  });
});

describe('a comparison that changes nothing', () => {
  it('baseline only: no root needed, no mitigation command, both hosts unchanged', async () => {
    const p = c.comparePair({ vmB: () => ({ [h.PROBE]: { stdout: c.PROBE_VMB_NO_SUDO } }) });
    Object.assign(p.vmB.info, { user: 'dklab', isRoot: false });
    const cr = await runCompare(c.compareOptions(p, ['baseline']));
    expect(cr.error).toBeUndefined();
    expect(runsOf(cr)).toEqual(['baseline #1']);
    expect(sharedSteps(cr)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'ok plan',
      'ok final restore',
      'ok cleanup',
    ]);
    expect(mitigationCalls(p.vmA)).toEqual([]);
    expect(mitigationCalls(p.vmB)).toEqual([]);
    expect(p.vmB.calls.filter((x) => x.root)).toEqual([]);
    expect(cr.restore).toEqual([
      { host: 'vmA', status: 'unchanged' },
      { host: 'vmB', status: 'unchanged' },
    ]);
    expect(localRecords()).toEqual([]);
  });
});

describe('--repeat 2', () => {
  it('interleaved: baseline, backlog, baseline, backlog; applied and restored around each backlog run', async () => {
    const p = c.comparePair();
    const cr = await runCompare(c.compareOptions(p, ['baseline', 'backlog'], { repeat: 2 }));
    expect(cr.error).toBeUndefined();
    expect(runsOf(cr)).toEqual(['baseline #1', 'backlog #1', 'baseline #2', 'backlog #2']);
    expect(cr.runs.map((r) => r.settings.length)).toEqual([0, 1, 0, 1]);
    expect(mitigationCalls(p.vmB)).toEqual([
      c.STATE,
      c.INSTALL,
      c.GUARD,
      c.APPLY,
      c.RESTORE,
      c.APPLY,
      c.RESTORE,
      c.RESTORE,
      c.REMOVE,
    ]);
    expect(p.b.events.filter((e) => e.includes(BACKLOG))).toEqual([
      `apply: ${BACKLOG} (ns 2) = 32768`,
      `restore: ${BACKLOG} (ns 2) = 10`,
      `apply: ${BACKLOG} (ns 2) = 32768`,
      `restore: ${BACKLOG} (ns 2) = 10`,
    ]);
    expect(p.rounds.n).toBe(4);
  });

  it('blocked: baseline, baseline, backlog, backlog', async () => {
    const p = c.comparePair();
    const cr = await runCompare(
      c.compareOptions(p, ['baseline', 'backlog'], { repeat: 2, order: 'blocked' }),
    );
    expect(cr.error).toBeUndefined();
    expect(runsOf(cr)).toEqual(['baseline #1', 'baseline #2', 'backlog #1', 'backlog #2']);
    expect(cr.runs.map((r) => h.stepsOf(r.rec)[0])).toEqual([
      'ok snapshots before',
      'ok snapshots before',
      'ok apply',
      'ok apply',
    ]);
    expect(cr.restore[1]).toEqual({ host: 'vmB', status: 'restored' });
  });
});

describe('an apply that does not take', () => {
  it('fails the run before its traffic, restores, and runs nothing more', async () => {
    const p = c.comparePair();
    p.b.refused.add(`${BACKLOG}=32768`);
    const cr = await runCompare(c.compareOptions(p, ['backlog', 'baseline']));
    expect(cr.error?.code).toBe('COMMAND_FAILED');
    expect(cr.error?.oneLine).toBe(
      'vmB: apply: a setting did not take: net.core.netdev_max_backlog is 10, not 32768',
    );
    expect(cr.error?.hint).toBe(
      'the originals are restored next; check that the value is allowed on this host',
    );
    expect(runsOf(cr)).toEqual(['backlog #1']);
    expect(h.stepsOf(cr.runs[0]!.rec)).toEqual(['FAIL apply', 'ok restore']);
    expect(p.vmA.keys()).not.toContain(h.CLIENT);
    expect(cr.restore[1]).toEqual({ host: 'vmB', status: 'restored' });
    expect(mitigationCalls(p.vmB)).toEqual([
      c.STATE,
      c.INSTALL,
      c.GUARD,
      c.APPLY,
      c.RESTORE,
      c.RESTORE,
      c.REMOVE,
    ]);
    expect(p.b.events.filter((e) => e.includes(BACKLOG))).toEqual([]);
    expect(localRecords()).toEqual([]);
  });
});

describe('--dry-run', () => {
  it('reads the host state and hands over the plan, then changes nothing and runs nothing', async () => {
    const p = c.comparePair();
    const plans: unknown[] = [];
    const cr = await runCompare(
      c.compareOptions(p, ['baseline', 'backlog'], { dryRun: true, onPlan: (x) => plans.push(x) }),
    );
    expect(cr.error).toBeUndefined();
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      problems: [],
      sharedKernel: false,
      originals: [[], [BACKLOG_ORIGINAL]],
    });
    expect(cr.variants[1]!.settings.map((s) => `${s.from} → ${s.to}`)).toEqual(['10 → 32768']);
    expect(sharedSteps(cr)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'ok plan',
      'ok cleanup',
    ]);
    expect(cr.runs).toEqual([]);
    expect(mitigationCalls(p.vmB)).toEqual([c.STATE]);
    expect(p.b.events).toEqual([]);
    expect(localRecords()).toEqual([]);
  });
});
