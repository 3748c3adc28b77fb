import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../../bundles/archive.js';
import type { Snapshot } from '../../../collectors/model.js';
import { isSafeRelPath } from '../../../kit/safe-path.js';
import {
  buildCollectCli,
  canRunHostileSshd,
  type HostileSshd,
  startHostileSshd,
} from './hostile-sshd.js';

// A host that lies: a real sshd on 127.0.0.1 whose ForceCommand runs what
// dropkit sends and puts forged sections in front of the real output (see
// hostile-rewrite.mjs): interface names that climb out of the output folder,
// "..", names with escape sequences and a newline, an interface the host
// does not have (kept: a valid name, which a forged listing could give as
// well, in a path of its own), a forged host name, an unknown source, and 50 MB in one
// section. The real CLI runs against it as a separate process, bundled from
// the sources into the test's temp dir (dist/ is not needed).

const REWRITER = fileURLToPath(new URL('./hostile-rewrite.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The CLI as a separate process, killed if it outlives a generous bound.
function run(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [cli, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 100_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', fail);
    p.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

// Every file under dir, relative.
async function tree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await tree(dir, r)));
    else out.push(r);
  }
  return out;
}

// The refusals every snapshot of this host must name (escaped, never raw).
// (In a bundle, the alias "hostile" is redacted, in the temp dir's name too.)
function expectRefusals(warnings: string[]): void {
  const all = warnings.join('\n');
  expect(all).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  expect(all).toMatch(
    /\(interface "(\.\.\/){8}[^"]+\/pwned"\) dropped: not a valid interface name/,
  );
  expect(all).toContain('(interface "..") dropped: not a valid interface name');
  expect(all).toContain('(interface "esc\\u001b[31mred") dropped: not a valid interface name');
  expect(all).toContain('(interface "\\u001b]0;title\\u0007") dropped');
  expect(all).toContain('ignored: not a valid host name');
  expect(all).toContain('section "no_such\\u001b[2J" dropped: unknown source');
  expect(all).toContain(
    'section "softnet_stat": 50000000 bytes of output, only the first 16777216 kept',
  );
}

describe.skipIf(!canRunHostileSshd())('a hostile host over real SSH', { timeout: 120_000 }, () => {
  let dir: string;
  let sshd: HostileSshd | undefined;
  let cli: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropkit-hostile-host-'));
    sshd = await startHostileSshd(join(dir, 'sshd'), REWRITER, [dir]);
    cli = await buildCollectCli(join(dir, 'build'));
    // Nothing of the operator's own: no agent, no ~/.ssh, no case secrets,
    // no lab config.
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: join(dir, 'home'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      DROPKIT_LAB: 'hostile',
    };
  });

  afterAll(async () => {
    if (!dir) return;
    const pid = sshd?.process.pid;
    if (pid) {
      // sshd was started in its own process group: it and its sessions.
      const exited = new Promise((r) => sshd!.process.once('exit', r));
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    }
    // Anything still running from our temp dir (the forced command, its
    // rewriter), one by one by pid.
    for (const p of leftovers(dir)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {}
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('collect snapshot --out writes nothing outside DIR and names every refusal', async () => {
    const out = join(dir, 'out');
    const r = await run(
      cli,
      ['--ssh-config', sshd!.sshConfig, 'snapshot', '--node', 'hostile', '--out', out],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The terminal never gets a host's escape sequences.
    expect(r.stdout).not.toContain('\x1b');
    // Where the forged names pointed (the old code wrote dir/pwned/ethtool-S.txt):
    // nothing there, nor anywhere in our temp dir but the output.
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['build', 'out', 'sshd']);
    const files = await tree(out);
    expect(files).toContain('snapshot.json');
    expect(files.every((f) => isSafeRelPath(f) && !f.includes('pwned'))).toBe(true);
    expect(files.filter((f) => f.startsWith('raw/ethtool/')).every(realIface)).toBe(true);
    const snap = JSON.parse(await readFile(join(out, 'snapshot.json'), 'utf8')) as Snapshot;
    expectRefusals(snap.warnings);
    expect(snap.warnings.join('\n')).toContain(`${dir.slice(1)}/pwned")`);
    expect(snap.facts.hostname).toBeUndefined();
    // The host's real sections still count: its interfaces are there.
    expect(snap.interfaces.map((i) => i.name)).toContain('lo');
    expect(files).toContain('raw/ethtool/dkfake0/ethtool-S.txt');
    expect((await lstat(join(out, 'raw/proc/net/softnet_stat'))).size).toBe(16 * 1024 * 1024);
    expect((await lstat(join(out, 'snapshot.json'))).mode & 0o777).toBe(0o600);
  });

  it('collect bundle packs only safe paths, and its snapshot names every refusal', async () => {
    const out = join(dir, 'b');
    const r = await run(
      cli,
      ['--ssh-config', sshd!.sshConfig, 'bundle', '--node', 'hostile', '--out', out, '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const names = await readdir(out);
    const tarball = names.find((n) => n.endsWith('.tar.gz'))!;
    expect(tarball).toBeDefined();
    expect(names.every((n) => !n.includes('pwned'))).toBe(true);
    // The case secret is the only other file written, in its own place.
    expect((await readdir(dir)).sort()).toEqual(['b', 'build', 'config', 'out', 'sshd']);
    const back = await readTarGz(join(out, tarball));
    expect(back.warnings).toEqual([]);
    const top = back.entries[0]!.path.split('/')[0]!;
    for (const e of back.entries) {
      expect(e.path.startsWith(`${top}/`)).toBe(true);
      expect(isSafeRelPath(e.path.slice(top.length + 1))).toBe(true);
    }
    // The host's name was refused: its folder is named after the alias.
    const snapEntry = back.entries.find((e) => e.path.endsWith('/snapshot.json'))!;
    const snap = JSON.parse(snapEntry.bytes.toString('utf8')) as Snapshot;
    expectRefusals(snap.warnings);
  });

  it('collect snapshot --out refuses a planted link, and writes nothing through it', async () => {
    const shared = join(dir, 'shared');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(shared);
    await mkdir(elsewhere);
    await symlink(elsewhere, join(shared, 'raw'));
    const r = await run(
      cli,
      ['--ssh-config', sshd!.sshConfig, 'snapshot', '--node', 'hostile', '--out', shared],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`refusing to write ${join(shared, 'raw')}: a symbolic link to`);
    expect(r.stderr).toContain('new or empty directory');
    expect(await readdir(elsewhere)).toEqual([]);
    expect(await readdir(shared)).toEqual(['raw']);
  });

  it('leaves no forced command or rewriter running on the host after the runs', async () => {
    let left: number[] = [];
    for (let i = 0; i < 50; i++) {
      left = leftovers(dir).filter((p) => p !== sshd!.process.pid);
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toEqual([]);
  });
});

// A raw/ethtool/<iface>/… file names an interface the kernel would accept.
function realIface(f: string): boolean {
  const iface = f.split('/')[2] ?? '';
  return /^[A-Za-z0-9_.@-]{1,15}$/.test(iface) && iface !== '..' && iface !== '.';
}

// Processes still running from our temp dir (by pid, never by a broad name).
function leftovers(dir: string): number[] {
  if (!dir.startsWith(join(tmpdir(), 'dropkit-hostile-host-'))) return [];
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .filter((p) => p > 0 && p !== process.pid);
  } catch {
    return [];
  }
}
