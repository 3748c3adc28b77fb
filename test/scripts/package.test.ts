import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab } from '../lab-available.js';

// `npm run package` (scripts/package.mjs, after the build the suite runs
// first): the single-file executable, run as an operator without Node would
// run it. Its PATH holds every command of the system's bin folders but node
// (symlinks in a folder of its own), so the binary, the snapshot script and
// the tools it runs are found, and node is not.
const out = mkdtempSync(join(tmpdir(), 'dropkit-package-'));
const exe = join(out, 'dropkit-linux-x64');
const path = join(out, 'path');
const NODE = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

function run(args: string[], cwd = out) {
  return execa(exe, args, { cwd, reject: false, env: { PATH: path, DROPKIT_LAB: 'test' } });
}

beforeAll(async () => {
  const r = await execa('node', ['scripts/package.mjs', '--out', out], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  mkdirSync(path);
  for (const dir of [
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir))
      if (!NODE.has(f) && !existsSync(join(path, f))) symlinkSync(join(dir, f), join(path, f));
  }
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the single-file executable', () => {
  it('is written with its sha256, and node is not on the PATH it runs with', async () => {
    const check = await execa('sha256sum', ['-c', 'dropkit-linux-x64.sha256'], {
      cwd: out,
      reject: false,
    });
    expect(check.stdout).toBe('dropkit-linux-x64: OK');
    const node = await execa('sh', ['-c', 'command -v node'], {
      env: { PATH: path },
      reject: false,
    });
    expect(node.exitCode).not.toBe(0);
  });

  it('prints the version, as itself and as each tool', async () => {
    for (const args of [['--version'], ['collect', '--version'], ['repro', '--version']]) {
      const r = await run(args);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(version);
    }
    const bad = await run(['frob']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unknown tool "frob"');
  });

  it('runs a tool by the name of a symlink to it', async () => {
    symlinkSync(exe, join(out, 'repro'));
    const r = await execa(join(out, 'repro'), ['profiles'], { reject: false, env: { PATH: path } });
    expect(r.exitCode, r.stderr).toBe(0);
    // The built-in profiles come from inside the executable.
    for (const p of readdirSync('repro/profiles').filter((f) => f.endsWith('.yaml')))
      expect(r.stdout).toContain(p.replace(/\.yaml$/, ''));
  });

  it('takes a local snapshot: softnet per CPU and the interfaces', async () => {
    const r = await run(['collect', 'snapshot', '--local', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const host = JSON.parse(r.stdout).hosts[0];
    expect(host.softnet.length).toBe(cpus().length);
    expect(host.interfaces.map((i: { name: string }) => i.name)).toContain('lo');
  });

  it('writes a bundle whose report carries the chart library', async () => {
    const r = await run(['collect', 'bundle', '--local', '--json', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const bundle = JSON.parse(r.stdout).file as string;
    const html = await execa('tar', ['-xzOf', bundle, '--wildcards', '*/report.html']);
    expect(html.stdout).toContain('uPlot');
    const verify = await run(['collect', 'verify', bundle]);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

describe.skipIf(!canRunLab())('the single-file executable on the lab', () => {
  it('repro doctor --pair vmA vmB: both hosts ready, over its own ssh', async () => {
    const r = await run(['repro', 'doctor', '--pair', 'vmA', 'vmB', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.hosts.map((h: { host: string }) => h.host)).toEqual(['vmA', 'vmB']);
  });
});
