// ProxyCommand end to end: a real command (a small node TCP pipe, as `nc`
// would be) carries the SSH connection to an ssh2 server on 127.0.0.1. Also
// the commands that fail: one that exits at once, one that hangs. Every
// process a test starts is looked for afterwards by a marker in its argv.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { EXIT, exitCodeFor } from '../../../kit/exit-codes.js';
import { shellQuote } from '../../../kit/shell-quote.js';
import type { SshTransport } from '../../../kit/transport/ssh.js';
import { connectSsh, type SshConnectOptions } from '../../../kit/transport/ssh-connect.js';
import { type FakeSshServer, startFakeSshServer } from '../../fakes/ssh2-server.js';
import { TCP_PIPE } from '../../fakes/tcp-pipe.js';

const PIPE = TCP_PIPE;

let dir: string;
let server: FakeSshServer;
let pipeScript: string;
let counter = 0;
const opened: SshTransport[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-proxycmd-'));
  server = await startFakeSshServer(dir);
  pipeScript = join(dir, 'pipe.cjs');
  await writeFile(pipeScript, PIPE);
});

afterAll(async () => {
  for (const t of opened) await t.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

// Processes whose argv holds `marker`, from /proc (no pgrep needed).
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (argv.includes(marker)) found.push(`${pid} ${argv.replaceAll('\0', ' ')}`);
  }
  return found;
}

async function noneLeft(marker: string, withinMs = 4000): Promise<string[]> {
  const until = Date.now() + withinMs;
  let left = await processesWith(marker);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    left = await processesWith(marker);
  }
  return left;
}

async function config(lines: string[]): Promise<string> {
  const file = join(dir, `ssh_config.${++counter}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

function pipeCommand(marker: string): string {
  return `${shellQuote(process.execPath)} ${shellQuote(pipeScript)} %h %p ${marker}`;
}

async function connect(spec: string, file: string, extra: Partial<SshConnectOptions> = {}) {
  const t = await connectSsh(spec, { configFiles: [file], ...extra });
  opened.push(t);
  return t;
}

async function failure(p: Promise<unknown>): Promise<DropkitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DropkitError);
  const err = e as DropkitError;
  expect(exitCodeFor(err.code)).toBe(EXIT.CONNECTION);
  return err;
}

describe('ProxyCommand', () => {
  it('carries the connection, and its process ends with it', async () => {
    const marker = `dk-proxy-ok-${process.pid}`;
    const warnings: string[] = [];
    const file = await config(
      server.hostLines('viaproxy', [
        `ProxyCommand ${pipeCommand(marker)}`,
        `CertificateFile ${join(dir, 'cert.pub')}`,
      ]),
    );
    const t = await connect('viaproxy', file, { warn: (l) => warnings.push(l) });
    expect(t.info).toMatchObject({ address: '127.0.0.1', port: server.port, user: 'tester' });
    expect(t.info.hostKey?.status).toBe('known');
    const r = await t.exec({ argv: ['echo', 'through the proxy'] });
    expect(r.stdout.toString()).toBe('through the proxy\n');
    // The %-tokens reached the command: it runs with the address and port.
    const [running] = await processesWith(marker);
    expect(running).toContain(`127.0.0.1 ${server.port} ${marker}`);
    // A setting dropkit goes on without is reported, with the host.
    expect(warnings).toEqual([
      expect.stringMatching(/^viaproxy: ssh config: CertificateFile at .*:3 is ignored: /),
    ]);
    await t.close();
    expect(await noneLeft(marker)).toEqual([]);
  });

  it('names a command that exits at once, with its stderr made safe to print', async () => {
    const command = `sh -c 'printf "bastion: no route to %h\\033]52;c;eA==\\007\\n" >&2; exit 3'`;
    const file = await config(server.hostLines('dead', [`ProxyCommand ${command}`]));
    const before = server.connections();
    const started = Date.now();
    const e = await failure(connect('dead', file));
    expect(e.code).toBe('CONNECT_FAILED');
    expect(e.host).toBe('dead');
    expect(e.step).toBe('proxy command');
    // As configured, after expansion.
    expect(e.message).toContain(`ProxyCommand "sh -c 'printf "bastion: no route to 127.0.0.1`);
    expect(e.message).toContain('exited with status 3');
    expect(e.message).toContain('bastion: no route to 127.0.0.1\ufffd]52;c;eA==\ufffd');
    expect(e.message).not.toMatch(/[\x00-\x1f\x7f]/);
    // Never a direct connection instead: the server saw nobody.
    expect(server.connections()).toBe(before);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a command that cannot run as such', async () => {
    const file = await config(server.hostLines('nosuch', ['ProxyCommand /nonexistent/proxy %h']));
    const e = await failure(connect('nosuch', file));
    expect(e.message).toContain(
      'ProxyCommand "/nonexistent/proxy 127.0.0.1" exited with status 127',
    );
    expect(e.message).toMatch(/not found|No such file/);
  });

  it('applies the connect timeout to a command that hangs, and kills its whole group', async () => {
    // sleep takes no marker, but a duration no other process has will do.
    const marker = `300.${process.pid}`;
    // A grandchild too: stopping only the shell's child would leave it.
    const hang = `sh -c 'sleep ${marker}1 & exec sleep ${marker}2'`;
    const file = await config(
      server.hostLines('hangs', [`ProxyCommand ${hang}`, 'ConnectTimeout 1']),
    );
    const started = Date.now();
    const e = await failure(connect('hangs', file));
    expect(e.code).toBe('CONNECT_TIMEOUT');
    expect(e.message).toContain(`ProxyCommand "${hang}"`);
    expect(e.message).toContain('within 1 s');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await noneLeft(marker)).toEqual([]);
  });

  it('"ProxyCommand none" connects directly, and beats a later ProxyCommand', async () => {
    const file = await config([
      ...server.hostLines('direct', ['ProxyCommand none']),
      'Host *',
      '  ProxyCommand false',
    ]);
    const before = server.connections();
    const t = await connect('direct', file);
    expect((await t.exec({ argv: ['echo', 'direct'] })).stdout.toString()).toBe('direct\n');
    expect(server.connections()).toBe(before + 1);
    await t.close();
  });

  it('reaches a first jump host through its ProxyCommand, then the target through it', async () => {
    const marker = `dk-proxy-jump-${process.pid}`;
    const file = await config([
      ...server.hostLines('target', ['ProxyJump gw']),
      ...server.hostLines('gw', [`ProxyCommand ${pipeCommand(marker)}`]),
    ]);
    const before = server.connections();
    const t = await connect('target', file);
    expect(t.info.via).toEqual(['gw']);
    expect((await t.exec({ argv: ['echo', 'jumped'] })).stdout.toString()).toBe('jumped\n');
    // The jump host, then the target through it.
    expect(server.connections()).toBe(before + 2);
    expect(await processesWith(marker)).toHaveLength(1);
    await t.close();
    expect(await noneLeft(marker)).toEqual([]);
  });
});
