// The fleet opener against real handshakes: ssh2 servers on 127.0.0.1, one as
// the jump host, one for every target (reached directly or through the jump
// host, which forwards to 127.0.0.1 only). The targets' server holds each
// authentication a moment, so that handshakes overlap and the bound is tested
// on real concurrency, from the opener's counters and from the server's side.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { EXIT, exitCodeFor } from '../../../kit/exit-codes.js';
import { createFleetOpener, type FleetOpener } from '../../../kit/transport/fleet-opener.js';
import { connectSsh } from '../../../kit/transport/ssh-connect.js';
import type { Transport } from '../../../kit/transport/types.js';
import { type FakeSshServer, startFakeSshServer } from '../../fakes/ssh2-server.js';

const AUTH_DELAY_MS = 80;

let dir: string;
let targets: FakeSshServer;
let counter = 0;
// Everything a test opened, closed after it whatever happened.
let transports: Transport[] = [];
let fleets: FleetOpener[] = [];
let jumps: FakeSshServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-fleet-'));
  targets = await startFakeSshServer(await subdir('targets'), { authDelayMs: AUTH_DELAY_MS });
});

afterEach(async () => {
  for (const t of transports) await t.close();
  for (const f of fleets) await f.close();
  for (const j of jumps) await j.close();
  transports = [];
  fleets = [];
  jumps = [];
});

afterAll(async () => {
  await targets?.close();
  await rm(dir, { recursive: true, force: true });
});

async function subdir(name: string): Promise<string> {
  const d = join(dir, `${name}.${++counter}`);
  await mkdir(d);
  return d;
}

// A jump host of its own per test: some tests kill it.
async function jumpServer(): Promise<FakeSshServer> {
  const j = await startFakeSshServer(await subdir('jump'));
  jumps.push(j);
  return j;
}

const behind = (n: number) => Array.from({ length: n }, (_, i) => `b${i + 1}`);
const direct = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);

// `b…` hosts reach the targets' server through `gw`, `d…` hosts directly.
async function config(jump: FakeSshServer | undefined, hosts: string[]): Promise<string> {
  const lines: string[] = jump ? jump.hostLines('gw') : [];
  for (const h of hosts)
    lines.push(...targets.hostLines(h, h.startsWith('b') ? ['ProxyJump gw'] : []));
  const file = join(dir, `ssh_config.${++counter}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

function fleet(file: string, parallel: number): FleetOpener {
  const f = createFleetOpener({ sshConfig: [file], parallel, warn: () => undefined });
  fleets.push(f);
  return f;
}

type Outcome = { host: string; transport: Transport } | { host: string; error: DropkitError };

async function openEach(f: FleetOpener, hosts: string[]): Promise<Outcome[]> {
  return Promise.all(
    hosts.map(async (host): Promise<Outcome> => {
      try {
        const transport = await f.open(host);
        transports.push(transport);
        return { host, transport };
      } catch (e) {
        expect(e).toBeInstanceOf(DropkitError);
        return { host, error: e as DropkitError };
      }
    }),
  );
}

async function echo(t: Transport, word: string): Promise<string> {
  return (await t.exec({ argv: ['echo', word] })).stdout.toString().trim();
}

// The error every target behind a dead jump host must give.
function expectJumpNamed(o: Outcome | { host: string; error: unknown }): void {
  expect('error' in o, `${o.host} should have failed`).toBe(true);
  const e = (o as { error: DropkitError }).error;
  expect(e).toBeInstanceOf(DropkitError);
  expect(['CONNECT_FAILED', 'CONNECTION_LOST']).toContain(e.code);
  expect(exitCodeFor(e.code)).toBe(EXIT.CONNECTION);
  expect(e.host).toBe(o.host);
  expect(e.step).toBe('proxy jump');
  expect(e.message).toMatch(/^jump host "gw" was lost/);
}

async function waitFor(check: () => boolean, what: string, withinMs = 5000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('createFleetOpener', () => {
  it('shares one jump connection among every target behind it, even one slot at a time', async () => {
    const jump = await jumpServer();
    const hosts = behind(6);
    // One slot: a target waiting for the jump host must not hold it, or this
    // would never finish.
    const f = fleet(await config(jump, hosts), 1);
    const opened = await openEach(f, hosts);
    for (const o of opened) {
      if (!('transport' in o)) throw o.error;
      expect(o.transport.info.via).toEqual(['gw']);
      expect(await echo(o.transport, o.host)).toBe(o.host);
    }
    expect(f.stats()).toEqual({ handshakes: 7, peakInFlight: 1, jumpConnections: 1 });
    expect(jump.connections()).toBe(1);
    expect(jump.forwards()).toBe(6);
    // A target closing leaves the shared connection to the others.
    const [first, second] = opened as Array<{ host: string; transport: Transport }>;
    await first!.transport.close();
    expect(await echo(second!.transport, 'still')).toBe('still');
    expect(jump.liveConnections()).toBe(1);
    for (const o of opened) if ('transport' in o) await o.transport.close();
    expect(jump.liveConnections()).toBe(1);
    await f.close();
    await waitFor(() => jump.liveConnections() === 0, 'the jump connection to end');
    await expect(f.open('b1')).rejects.toThrow(/jump host "gw"/);
  });

  it('never has more than `parallel` handshakes in flight, jump host included', async () => {
    const jump = await jumpServer();
    const hosts = [...behind(6), ...direct(6)];
    const f = fleet(await config(jump, hosts), 3);
    const before = targets.peakHandshakes();
    const opened = await openEach(f, hosts);
    expect(opened.filter((o) => 'error' in o)).toEqual([]);
    const stats = f.stats();
    expect(stats.handshakes).toBe(13);
    expect(stats.jumpConnections).toBe(1);
    // Held authentications fill every slot, and never one more.
    expect(stats.peakInFlight).toBe(3);
    // The servers' side: targets reached directly and through the jump host
    // land on one server, which saw no more than 3 at once either.
    expect(Math.max(before, targets.peakHandshakes())).toBeLessThanOrEqual(3);
  });

  it('measures real concurrency: unbounded, the same hosts overlap beyond 3', async () => {
    // The control for the test above: with enough slots the server sees more,
    // so a bound that did not hold would show there.
    const probe = await startFakeSshServer(await subdir('probe'), { authDelayMs: AUTH_DELAY_MS });
    try {
      const hosts = direct(12);
      const file = join(dir, `ssh_config.${++counter}`);
      await writeFile(file, `${hosts.flatMap((h) => probe.hostLines(h)).join('\n')}\n`);
      const f = fleet(file, 12);
      const opened = await openEach(f, hosts);
      expect(opened.filter((o) => 'error' in o)).toEqual([]);
      expect(f.stats().peakInFlight).toBeGreaterThan(3);
      expect(probe.peakHandshakes()).toBeGreaterThan(3);
      for (const t of transports.splice(0)) await t.close();
    } finally {
      await probe.close();
    }
  });

  it('fails the targets behind a jump host that dies mid-way, naming it; direct ones go on', async () => {
    const jump = await jumpServer();
    const hosts = [...behind(3), ...direct(2)];
    const f = fleet(await config(jump, hosts), 2);
    const opening = openEach(f, hosts);
    // The jump host is up and the first target's handshake through it has begun.
    await waitFor(() => jump.forwards() >= 1, 'a forwarded connection');
    await jump.close();
    const opened = await opening;
    for (const o of opened) {
      if (o.host.startsWith('d')) {
        if (!('transport' in o)) throw o.error;
        expect(await echo(o.transport, o.host)).toBe(o.host);
      } else expectJumpNamed(o);
    }
    // A later target behind it fails at once, for the same reason, without
    // reusing the dead connection or making another.
    const later = await openEach(f, ['b1']);
    expectJumpNamed(later[0]!);
    expect((later[0] as { error: DropkitError }).error.code).toBe('CONNECT_FAILED');
    expect(f.stats().jumpConnections).toBe(1);
    expect(jump.connections()).toBe(1);
  });

  it('reports connected targets as lost with their jump host, and the rest stay up', async () => {
    const jump = await jumpServer();
    const hosts = [...behind(2), ...direct(1)];
    const f = fleet(await config(jump, hosts), 4);
    const opened = await openEach(f, hosts);
    expect(opened.filter((o) => 'error' in o)).toEqual([]);
    await jump.close();
    for (const o of opened as Array<{ host: string; transport: Transport }>) {
      if (o.host.startsWith('d')) {
        expect(await echo(o.transport, 'alive')).toBe('alive');
        continue;
      }
      const error = await echo(o.transport, 'gone').then(
        () => undefined,
        (e: unknown) => e,
      );
      expectJumpNamed({ host: o.host, error });
      expect((error as DropkitError).code).toBe('CONNECTION_LOST');
    }
  });

  it('names the jump host for every target when it cannot be reached, after one attempt', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const jump = await jumpServer();
    const hosts = behind(3);
    const file = await config(jump, hosts);
    // The first value wins: this Port comes before the jump server's.
    const moved = join(dir, `ssh_config.${++counter}`);
    await writeFile(moved, `Host gw\n  Port ${port}\n`);
    const f = createFleetOpener({ sshConfig: [moved, file], parallel: 2, warn: () => undefined });
    fleets.push(f);
    const opened = await openEach(f, hosts);
    for (const o of opened) {
      expect('error' in o).toBe(true);
      const e = (o as { error: DropkitError }).error;
      expect(e).toMatchObject({ code: 'CONNECT_FAILED', host: o.host, step: 'proxy jump' });
      expect(e.message).toBe(
        `jump host "gw": connect: cannot connect to 127.0.0.1:${port}: connection refused`,
      );
    }
    expect(f.stats()).toMatchObject({ handshakes: 1, jumpConnections: 1 });
  });

  it('gives up on a jump host that does not open the channel, freeing the slot', async () => {
    const jump = await startFakeSshServer(await subdir('slowjump'), { forwardDelayMs: 5000 });
    jumps.push(jump);
    const file = join(dir, `ssh_config.${++counter}`);
    const lines = [
      ...jump.hostLines('gw'),
      ...targets.hostLines('b1', ['ProxyJump gw', 'ConnectTimeout 1']),
      ...targets.hostLines('d1'),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    // One slot: d1 opens only once b1's wait for the channel has ended.
    const f = fleet(file, 1);
    const started = Date.now();
    const [b1, d1] = await openEach(f, ['b1', 'd1']);
    expect(Date.now() - started).toBeLessThan(4000);
    expect('transport' in d1!).toBe(true);
    const e = (b1 as { error: DropkitError }).error;
    expect(e).toMatchObject({ code: 'CONNECT_TIMEOUT', host: 'b1', step: 'proxy jump' });
    expect(e.message).toBe(`jump host could not reach 127.0.0.1:${targets.port} within 1 s`);
  });

  it('refuses a bound that would let nothing start', () => {
    expect(() => createFleetOpener({ parallel: 0 })).toThrow(/at least 1/);
  });
});

describe('connectSsh without a fleet', () => {
  it('keeps its own jump connection and closes it with the transport', async () => {
    const jump = await jumpServer();
    const file = await config(jump, ['b1']);
    const t = await connectSsh('b1', { configFiles: [file] });
    expect(await echo(t, 'own')).toBe('own');
    expect(jump.liveConnections()).toBe(1);
    await t.close();
    await waitFor(() => jump.liveConnections() === 0, 'the own jump connection to end');
  });
});
