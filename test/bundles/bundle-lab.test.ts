import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz, writeTarGz } from '../../bundles/archive.js';
import { cli } from '../cli-helpers.js';
import { canRunLab } from '../lab-available.js';
import { labState, strayProcesses, TEST_LAB } from '../lab-helpers.js';

// A private case-secret directory, so tests never touch the operator's keys.
const config = mkdtempSync(join(tmpdir(), 'dropkit-cases-'));
const env = { XDG_CONFIG_HOME: config };

function bundleOf(stdout: string): string {
  const m = stdout.match(/^bundle: (.+)$/m);
  if (!m) throw new Error(`no bundle line in: ${stdout}`);
  return m[1]!;
}

async function extract(file: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dropkit-x-'));
  await execa('tar', ['-xzf', file, '-C', dir]);
  return dir;
}

async function allText(dir: string): Promise<string> {
  return (await execa('sh', ['-c', `find "${dir}" -type f -exec cat {} +`])).stdout;
}

describe.skipIf(!canRunLab())('collect bundle on the lab', () => {
  let out: string;
  let bundle: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'dropkit-out-'));
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmA', '--node', 'vmB', '--out', out, '--case', 'case-4711'],
      env,
    );
    expect(r.stderr).not.toMatch(/error/);
    expect(r.exitCode).toBe(0);
    bundle = bundleOf(r.stdout);
  });
  afterAll(() => {
    rmSync(config, { recursive: true, force: true });
  });

  it('writes a bundle that passes collect verify, named by case, with its sha256', async () => {
    expect(bundle).toMatch(/\/\d{8}T\d{6}Z-node-case-4711\.tar\.gz$/);
    const v = await cli('collect', ['verify', bundle]);
    expect(v.stdout).toContain('OK:');
    expect(v.exitCode).toBe(0);
    const map = `${bundle.replace(/\.tar\.gz$/, '')}.map.json`;
    expect(statSync(map).mode & 0o777).toBe(0o600);
  });

  it('contains no real address, MAC, hostname or host key fingerprint of the lab', async () => {
    const dir = await extract(bundle);
    const text = await allText(dir);
    const state = await labState();
    const secrets = state.layout.hosts.flatMap((h) => [
      h.address,
      h.mac,
      h.mac.toUpperCase(),
      h.hostname,
      h.address.replaceAll('.', '-'),
    ]);
    secrets.push(state.layout.bridgeAddress);
    for (const h of state.layout.hosts) {
      const pub = readFileSync(
        `${TEST_LAB.stateDir}/${h.alias}/ssh_host_ed25519_key.pub`,
        'utf8',
      ).split(' ')[1]!;
      const fp = (
        await execa('ssh-keygen', [
          '-lf',
          `${TEST_LAB.stateDir}/${h.alias}/ssh_host_ed25519_key.pub`,
        ])
      ).stdout.split(' ')[1]!;
      secrets.push(pub, fp);
    }
    for (const s of secrets) expect(text.includes(s), `found ${s}`).toBe(false);
    // …while the evidence is still there.
    expect(text).toMatch(/^([0-9a-f]{8} ){12,}[0-9a-f]{8}$/m);
    const summary = readFileSync(join(dir, readdirSync(dir)[0]!, 'summary.md'), 'utf8');
    expect(summary).toContain('## Findings');
    expect(summary).toContain('### softnet_stat per CPU');
    expect(summary).toMatch(/\| eth0 \| veth \| veth \|/);
  });

  it('the same value gets the same token in two bundles of the same case', async () => {
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmB', '--out', out, '--case', 'case-4711'],
      env,
    );
    expect(r.exitCode).toBe(0);
    const a = JSON.parse(readFileSync(`${bundle.replace(/\.tar\.gz$/, '')}.map.json`, 'utf8'))
      .entries as Array<{ original: string; pseudonym: string }>;
    const b = JSON.parse(
      readFileSync(`${bundleOf(r.stdout).replace(/\.tar\.gz$/, '')}.map.json`, 'utf8'),
    ).entries as Array<{ original: string; pseudonym: string }>;
    const vmB = (await labState()).layout.hosts[1]!;
    const token = (m: typeof a, v: string) => m.find((e) => e.original === v)?.pseudonym;
    expect(token(a, vmB.address)).toBeDefined();
    expect(token(b, vmB.address)).toBe(token(a, vmB.address));
    expect(token(b, vmB.hostname)).toBe(token(a, vmB.hostname));
  });

  it("--share-identity: identity.json holds the lab hosts' names and addresses, and no other file does", async () => {
    // Not on a terminal: refused up front without --yes, before any host is touched.
    const refused = await cli('collect', ['bundle', '--node', 'vmA', '--share-identity'], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--share-identity .* not a terminal, so add --yes/);

    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmA', '--node', 'vmB', '--out', out, '--share-identity', '--yes'],
      env,
    );
    expect(r.exitCode).toBe(0);
    const state = await labState();
    // The operator was shown every value before it was shared.
    for (const h of state.layout.hosts)
      for (const v of [h.hostname, h.address, h.mac]) expect(r.stderr).toContain(v);
    const dir = await extract(bundleOf(r.stdout));
    const top = join(dir, readdirSync(dir)[0]!);
    const identity = JSON.parse(readFileSync(join(top, 'identity.json'), 'utf8'));
    expect(identity.hosts).toHaveLength(2);
    for (const [i, h] of state.layout.hosts.entries()) {
      const id = identity.hosts[i];
      expect(id.nodeName.value).toBe(h.hostname);
      expect(id.primaryNic.ipv4.map((a: { value: string }) => a.value)).toEqual([h.address]);
      expect(id.primaryNic.mac.value).toBe(h.mac);
      // Its pseudonyms are the ones the rest of the bundle uses.
      expect(readdirSync(join(top, 'hosts'))).toContain(id.host);
      expect(id.nodeName.inBundle).toBe(id.host);
    }
    await execa('rm', [join(top, 'identity.json')]);
    const rest = await allText(dir);
    for (const h of state.layout.hosts)
      for (const v of [h.hostname, h.address, h.mac, h.mac.toUpperCase()])
        expect(rest.includes(v), `found ${v} outside identity.json`).toBe(false);
    expect(readFileSync(join(top, 'summary.md'), 'utf8')).toContain(
      "Shared in clear at the operator's request (--share-identity): identity.json holds node name, primary NIC IPv4",
    );
    const v = await cli('collect', ['verify', bundleOf(r.stdout)]);
    expect(v.stdout).toContain('OK:');
  });

  it('verify catches a one-byte change in any file', async () => {
    const { entries } = await readTarGz(bundle);
    const victim = entries.findIndex((e) => e.path.endsWith('raw/proc/net/softnet_stat'));
    const changed = entries.map((e, i) =>
      i === victim ? { path: e.path, bytes: Buffer.from(e.bytes.toString().replace(/0/, '1')) } : e,
    );
    const top = entries[0]!.path.split('/')[0]!;
    const tampered = join(out, 'tampered.tar.gz');
    await writeTarGz(
      tampered,
      top,
      changed.map((e) => ({ path: e.path.slice(top.length + 1), bytes: e.bytes })),
      new Date(),
    );
    const v = await cli('collect', ['verify', tampered]);
    expect(v.exitCode).toBe(7);
    expect(v.stdout).toMatch(/softnet_stat: sha256 does not match the manifest/);
  });

  it('an unwritable --out gives a clear error and no bundle', async () => {
    const ro = mkdtempSync(join(tmpdir(), 'dropkit-ro-'));
    writeFileSync(join(ro, 'file'), '');
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmA', '--out', join(ro, 'file', 'sub')],
      env,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/cannot write bundles to .*file\/sub/);
    chmodSync(ro, 0o755);
  });

  it('--trace-drops traces drop reasons in a private instance first, and removes it', async () => {
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmB', '--trace-drops', '2', '--out', out],
      env,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/vmB: tracing drop reasons for 2 s/);
    const { entries } = await readTarGz(bundleOf(r.stdout));
    const meta = entries.find((e) => e.path.endsWith('/trace/meta.json'));
    expect(meta).toBeDefined();
    const m = JSON.parse(meta!.bytes.toString());
    expect(m.kernelHasReasons).toBe(true);
    expect(m.unavailable).toBeNull();
    expect(entries.some((e) => e.path.endsWith('/trace/kfree_skb-format.txt'))).toBe(true);
    const vmB = (await labState()).layout.hosts[1]!;
    const sshd = (await execa('ip', ['netns', 'pids', vmB.netns])).stdout.split(/\s+/)[0]!;
    const inst = await execa('nsenter', ['-t', sshd, '-m', 'ls', '/sys/kernel/tracing/instances'], {
      reject: false,
    });
    expect(inst.stdout.split('\n').filter((l) => l.startsWith('dropkit-'))).toEqual([]);
  });

  it('Ctrl-C during --trace-drops cuts the trace short, still writes a whole bundle, exit 130', async () => {
    const child = cli(
      'collect',
      ['bundle', '--node', 'vmB', '--trace-drops', '30', '--out', out],
      env,
    );
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/vmB: interrupted: drop tracing stopped after [\d.]+ s of 30/);
    const file = bundleOf(r.stdout);
    expect((await cli('collect', ['verify', file])).exitCode).toBe(0);
    const { entries } = await readTarGz(file);
    const snap = JSON.parse(
      entries.find((e) => e.path.endsWith('/snapshot.json'))!.bytes.toString(),
    );
    // The snapshot after an interrupted trace is whole, and says nothing else.
    expect(snap.warnings.filter((w: string) => /interrupted/.test(w))).toEqual([]);
    expect(
      snap.sources.every(
        (s: { ok: boolean; reason?: string }) => !/truncated/.test(s.reason ?? ''),
      ),
    ).toBe(true);
    expect(entries.some((e) => e.path.endsWith('/trace/meta.json'))).toBe(true);
    expect(await strayProcesses('vmB')).toEqual([]);
  });

  it('an unreachable second host gives a partial bundle and exit code 3', async () => {
    const bad = `root@198.18.${TEST_LAB.octet}.97`;
    const r = await cli(
      'collect',
      ['bundle', '--node', 'vmA', '--node', bad, '--out', out, '--connect-timeout', '2'],
      env,
    );
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/PARTIAL: .* failed/);
    const file = bundleOf(r.stdout);
    const { entries } = await readTarGz(file);
    const manifest = JSON.parse(
      entries.find((e) => e.path.endsWith('/manifest.json'))!.bytes.toString(),
    );
    expect(manifest.status).toBe('partial');
    expect(manifest.hosts.map((h: { status: string }) => h.status).sort()).toEqual([
      'complete',
      'failed',
    ]);
    expect(JSON.stringify(manifest)).not.toContain(`198.18.${TEST_LAB.octet}.97`);
  });
});

describe('atomic bundle writing', () => {
  it('a crash mid-write leaves no .tar.gz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-crash-'));
    // A child writing 64 MB of incompressible data, killed halfway.
    // The built JS (the suite builds dist/ first), run as a separate process.
    const script = `import { writeTarGz } from '${join(process.cwd(), 'dist/bundles/archive.js')}';
      import { randomBytes } from 'node:crypto';
      await writeTarGz('${dir}/b.tar.gz', 'b', Array.from({ length: 64 }, (_, i) => ({ path: 'f' + i, bytes: randomBytes(1 << 20) })), new Date());`;
    const partial = () => readdirSync(dir).some((f) => f.endsWith('.partial'));
    // The archive is packed in memory first; the kill lands as soon as the
    // temporary file appears, while its 64 MB are being written.
    const appeared = new Promise<void>((resolve) => {
      const w = watch(dir, () => {
        if (!partial()) return;
        w.close();
        resolve();
      });
    });
    const child = execa('node', ['--input-type=module', '-e', script], { reject: false });
    await Promise.race([appeared, child]);
    expect(partial()).toBe(true);
    child.kill('SIGKILL');
    await child;
    expect(readdirSync(dir).filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
    expect(existsSync(join(dir, 'b.tar.gz'))).toBe(false);
  });

  it('never overwrites an existing bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-exist-'));
    writeFileSync(join(dir, 'b.tar.gz'), 'precious');
    await expect(
      writeTarGz(join(dir, 'b.tar.gz'), 'b', [{ path: 'x', bytes: Buffer.from('y') }], new Date()),
    ).rejects.toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'b.tar.gz'), 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['b.tar.gz']);
  });
});
