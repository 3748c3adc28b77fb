import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { collectNodeBundle, type NodeBundleOptions } from '../../bundles/collect-node-bundle.js';
import type { Manifest } from '../../bundles/manifest.js';
import { DropkitError } from '../../kit/errors.js';
import { EXIT } from '../../kit/exit-codes.js';
import type { Transport } from '../../kit/transport/types.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import { type Answer, FakeTransport } from '../fakes/fake-transport.js';
import { snapshotOutput, traceEnd, traceFormat, traceInterval } from '../fakes/host-output.js';

// `collect bundle` without SSH: the fakes answer the snapshot (and the
// tracer) from real captures, the opener fails where a host is unreachable,
// and the bundle is written for real, then read back.

const SNAPSHOT = 'snapshot: snapshot script';
const TRACER = 'drop tracing: tracer script';
const TRACER_LEFTOVER = 'drop tracing cleanup: tracer leftover script';
const SOFTNET = fixture('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');
const LOST = 'SSH connection lost: connection closed by remote host';

function sections(host: 'vmA' | 'vmB') {
  return [
    { id: 'uname', body: capture(`uname-${host}.txt`) },
    { id: 'hostname', body: capture(`hostname-${host}.txt`) },
    { id: 'proc_net_dev', body: capture(`proc-net-dev-${host}.txt`) },
    { id: 'softnet_stat', body: SOFTNET },
  ];
}

const snapshot =
  (host: 'vmA' | 'vmB'): Answer =>
  (call) => ({ stdout: snapshotOutput(call.req.script!, sections(host)) });

// The first two sections arrive, then the host goes away.
const snapshotThenLost: Answer = (call) => {
  call.emit(snapshotOutput(call.req.script!, sections('vmB').slice(0, 2)));
  call.lose();
  return {};
};

// A tracer that counts one interval and ends on its own, with its last line.
const tracer: Answer = (call) => {
  call.emit(traceFormat(capture('kfree_skb-format.txt')));
  call.emit(
    traceInterval({
      uptime: 812.25,
      drops: [{ count: 7, reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }],
    }),
  );
  return { stdout: traceEnd(0) };
};

let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-node-bundle-'));
  // The case keys are made here, never in the user's ~/.config.
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

// The hosts in `specs` that are not in `hosts` time out when connected to.
function options(
  specs: string[],
  hosts: Record<string, Transport>,
  over: Partial<NodeBundleOptions> = {},
): NodeBundleOptions & { logged: string[] } {
  const logged: string[] = [];
  return {
    specs,
    open: async (spec) => {
      const t = hosts[spec];
      if (t) return t;
      throw new DropkitError({
        code: 'CONNECT_TIMEOUT',
        message: 'connection timed out after 10 s',
        host: spec,
        step: 'connect',
      });
    },
    signal: new AbortController().signal,
    command: ['collect', 'bundle'],
    outDir: join(dir, 'out'),
    redact: false,
    keywords: [],
    onLog: (l) => logged.push(l),
    ...over,
    logged,
  };
}

async function bundleFiles(file: string): Promise<Map<string, string>> {
  const back = await readTarGz(file);
  // Paths without the top-level directory.
  return new Map(
    back.entries.map((e) => [e.path.split('/').slice(1).join('/'), e.bytes.toString('utf8')]),
  );
}

describe('collect bundle, host by host', () => {
  it('an unreachable host: the others are bundled, the bundle is partial, exit code 3', async () => {
    const vmA = new FakeTransport('vmA', { [SNAPSHOT]: snapshot('vmA') });
    const o = options(['vmA', 'azureuser@10.1.2.3'], { vmA }, { redact: true });
    const out = await collectNodeBundle(o);

    expect(out.exitCode).toBe(EXIT.PARTIAL);
    expect(out.written.manifest.status).toBe('partial');
    expect(out.written.manifest.hosts.map((h) => h.status)).toEqual(['complete', 'failed']);
    expect(out.written.manifest.hosts[1]?.error).toMatch(/: connect: connection timed out/);
    expect(vmA.keys()).toEqual([SNAPSHOT]);
    expect(vmA.closed).toBe(true);
    expect(o.logged).toEqual([
      'azureuser@10.1.2.3: FAILED: azureuser@10.1.2.3: connect: connection timed out after 10 s',
      expect.stringMatching(/^vmA: snapshot 4 sources in [\d.]+ ms/),
    ]);

    const files = await bundleFiles(out.written.file);
    const summary = JSON.parse(files.get('summary.json')!);
    expect(summary.status).toBe('partial');
    expect(summary.hosts.map((h: { status: string }) => h.status)).toEqual(['complete', 'failed']);
    // Redacted: neither the unreachable host's address nor its user ships.
    for (const [path, text] of files) {
      expect(text, path).not.toContain('10.1.2.3');
      expect(text, path).not.toContain('azureuser');
    }
    expect(out.written.mapFile).toBeDefined();
  });

  it('a host lost mid-snapshot is failed, with the step and the cause; the other is complete', async () => {
    const vmA = new FakeTransport('vmA', { [SNAPSHOT]: snapshot('vmA') });
    const vmB = new FakeTransport('vmB', { [SNAPSHOT]: snapshotThenLost });
    const o = options(['vmA', 'vmB'], { vmA, vmB });
    const out = await collectNodeBundle(o);

    expect(out.exitCode).toBe(EXIT.PARTIAL);
    const m: Manifest = out.written.manifest;
    expect(m.hosts).toEqual([
      { host: 'vmA', status: 'complete' },
      { host: 'vmB', status: 'failed', error: `vmB: snapshot: ${LOST}` },
    ]);
    expect(vmB.call(SNAPSHOT)?.end).toBe('lost');
    expect([vmA.closed, vmB.closed]).toEqual([true, true]);
    const files = await bundleFiles(out.written.file);
    // What arrived before the loss is not half-bundled: the host has no folder.
    expect([...files.keys()].filter((p) => p.startsWith('hosts/vmB/'))).toEqual([]);
    expect(files.get('hosts/vmA/raw/proc/net/softnet_stat')).toBe(SOFTNET);
    expect(files.get('logs/collect.log')).toContain(`vmB: FAILED: vmB: snapshot: ${LOST}`);
    expect(files.get('logs/collect.log')).toContain('WARNING: redaction is off');
  });
});

describe('collect bundle, when nothing or more is collected', () => {
  it('no host collected at all: no bundle, and a connection error when none answered', async () => {
    const o = options(['vmA', 'vmB'], {});
    const e = await collectNodeBundle(o).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DropkitError);
    expect((e as DropkitError).code).toBe('CONNECT_FAILED');
    expect((e as DropkitError).message).toMatch(/^no host could be collected: vmA: connect: /);
  });

  it('--trace-drops: the trace comes first, and its files record the buffer the tracer asked for', async () => {
    const vmB = new FakeTransport('vmB', {
      [TRACER]: tracer,
      [TRACER_LEFTOVER]: { stdout: '' },
      [SNAPSHOT]: snapshot('vmB'),
    });
    const out = await collectNodeBundle(options(['vmB'], { vmB }, { traceSeconds: 5 }));

    expect(out.exitCode).toBe(EXIT.OK);
    expect(vmB.keys()).toEqual([TRACER, TRACER_LEFTOVER, SNAPSHOT]);
    const files = await bundleFiles(out.written.file);
    expect(JSON.parse(files.get('hosts/vmB/trace/meta.json')!)).toEqual({
      event: 'skb:kfree_skb',
      aggregation:
        'on the host, by reason and drop location (symbol, offset stripped), per 1 s interval',
      bufferKbPerCpu: 1024,
      eventsLostToTheCap: 0,
      kernelHasReasons: true,
      unavailable: null,
      totals: [{ reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog', count: 7 }],
    });
    expect(files.get('hosts/vmB/trace/kfree_skb.csv')).toBe(
      'uptime_s,host,reason,location,count\n812.25,vmB,CPU_BACKLOG,enqueue_to_backlog,7\n',
    );
  });
});
