import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';

// A REAL sos report of this machine (`sos report --batch -o networking`, as root; skipped
// without), redacted by the built CLI: the machine's own host name, addresses and MACs, read
// from the machine itself, must appear nowhere in the output, names and link targets included,
// and `collect analyze` must still read it.

const canRunSos =
  process.getuid?.() === 0 &&
  (await execa('sh', ['-c', 'command -v sos && command -v xz'], { reject: false })).exitCode === 0;

const dir = mkdtempSync(join(tmpdir(), 'dropkit-redact-realsos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What identifies this machine: its name, and every address and MAC the keep rules do not keep
// on purpose (loopback; link-local IPv6 whose interface id is not a MAC's EUI-64).
function machineValues(): string[] {
  const values = [hostname().split('.')[0]!];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      if (a.mac && a.mac !== '00:00:00:00:00:00') values.push(a.mac, a.mac.replaceAll(':', ''));
      const linkLocal = a.family === 'IPv6' && /^fe80:/i.test(a.address);
      if (linkLocal && !/[0-9a-f]{0,2}ff:fe[0-9a-f]{2}/i.test(a.address)) continue;
      values.push(a.address.replace(/%.*$/, ''));
    }
  }
  return [...new Set(values)];
}

let report = '';
let outFile = '';
let extracted = '';
describe.runIf(canRunSos)('collect redact: a real sos report of this machine', () => {
  beforeAll(async () => {
    const tmp = join(dir, 'sos');
    mkdirSync(tmp);
    await execa('sos', ['report', '--batch', '-o', 'networking', '--tmp-dir', tmp], {
      timeout: 120_000,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    report = join(tmp, readdirSync(tmp).find((n) => n.endsWith('.tar.xz'))!);
    const out = join(dir, 'out');
    const r = await cli(
      'collect',
      ['redact', report, '--out', out, '--case', 'realsos', '--json'],
      {
        XDG_CONFIG_HOME: join(dir, 'config'),
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    outFile = json.outputs[0].output;
    expect(outFile).toMatch(/-redacted\.tar\.gz$/);
    extracted = join(dir, 'x');
    mkdirSync(extracted);
    await execa('tar', ['-xzf', outFile, '-C', extracted]);
  }, 180_000);

  it("the machine's name, addresses and MACs appear in no file, name or link", async () => {
    const values = machineValues();
    expect(values.length).toBeGreaterThan(2);
    const files = (await execa('find', [extracted, '-type', 'f'])).stdout.split('\n');
    const links = (await execa('find', [extracted, '-type', 'l'])).stdout
      .split('\n')
      .filter(Boolean);
    const text = [
      ...files.map((f) => `${f}\n${readFileSync(f, 'latin1')}`),
      ...links.map((l) => `${l}\n${readlinkSync(l)}`),
    ]
      .join('\n')
      .toLowerCase();
    expect(files.length).toBeGreaterThan(50);
    // The input did hold them (this is not a vacuous pass).
    const original = (
      await execa('sh', ['-c', `xz -dc -- "$1" | strings`, 'sh', report])
    ).stdout.toLowerCase();
    for (const v of values) {
      if (original.includes(v.toLowerCase())) expect(text, v).not.toContain(v.toLowerCase());
    }
    expect(values.filter((v) => original.includes(v.toLowerCase())).length).toBeGreaterThan(2);
  });

  it('keeps proc/net -> self/net, and collect analyze reads the redacted report', async () => {
    const top = readdirSync(extracted)[0]!;
    expect(readlinkSync(join(extracted, top, 'proc/net'))).toBe('self/net');
    const r = await cli('collect', ['analyze', outFile, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts[0].interfaces.length).toBeGreaterThan(0);
  });

  it('collect verify checks it with its map: paths, links, no original value', async () => {
    const r = await cli('collect', ['verify', outFile, '--json']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'redacted', ok: true, problems: [] });
  });
});
