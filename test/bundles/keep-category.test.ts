import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { collectNodeBundle } from '../../bundles/collect-node-bundle.js';
import type { Category } from '../../bundles/redact/categories.js';
import { verifyBundle } from '../../bundles/verify.js';
import { EXIT } from '../../kit/exit-codes.js';
import { capture } from '../fakes/captures.js';
import { FakeTransport } from '../fakes/fake-transport.js';
import { snapshotOutput } from '../fakes/host-output.js';

// `collect bundle --keep CATEGORY` (and repro run/compare, through the same
// writer): one category left readable when the vendor needs it. The rest is
// pseudonymised as ever, the leak scan still fails closed on everything
// else, the manifest and the summary say what was kept, and `collect verify`
// accepts the kept values, and only those.

const SNAPSHOT = 'snapshot: snapshot script';
const ADDR = '10.20.30.40';
const MAC = '00:0d:3a:12:34:56';

let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-keep-'));
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

async function bundle(name: string, keep: Category[]) {
  const vmB = new FakeTransport('vmB', {
    [SNAPSHOT]: (call) => ({
      stdout: snapshotOutput(call.req.script!, [
        { id: 'uname', body: capture('uname-vmB.txt') },
        { id: 'hostname', body: capture('hostname-vmB.txt') },
        { id: 'sysfs_net', body: `eth0/address ${MAC}\neth0/driver hv_netvsc\n` },
        {
          id: 'ip_addr',
          body: `[{"ifname":"eth0","address":"${MAC}","addr_info":[{"family":"inet","local":"${ADDR}","prefixlen":24}]}]\n`,
        },
      ]),
    }),
  });
  const out = await collectNodeBundle({
    specs: ['vmB'],
    open: async () => vmB,
    signal: new AbortController().signal,
    command: ['collect', 'bundle'],
    outDir: join(dir, name),
    redact: true,
    keywords: [],
    keep,
    onLog: () => undefined,
  });
  expect(out.exitCode).toBe(EXIT.OK);
  const back = await readTarGz(out.written.file);
  const text = back.entries.map((e) => e.bytes.toString('utf8')).join('\n');
  const read = (end: string) =>
    back.entries.find((e) => e.path.endsWith(end))!.bytes.toString('utf8');
  return { path: out.written.file, text, manifest: JSON.parse(read('/manifest.json')), read };
}

describe('--keep', () => {
  it('ipv4 kept: the address stays, the MAC does not; manifest, summary and verify say so', async () => {
    const b = await bundle('kept', ['ipv4']);
    expect(b.text).toContain(ADDR);
    expect(b.text.toLowerCase()).not.toContain(MAC);
    expect(b.manifest.redaction.kept).toEqual(['ipv4']);
    expect(b.read('/summary.md')).toContain(
      "Left readable at the operator's request (--keep): ipv4.",
    );
    const v = await verifyBundle(b.path);
    expect(v).toMatchObject({ ok: true, problems: [] });
  });

  it('nothing kept: the address is pseudonymised, and no kept list is written', async () => {
    const b = await bundle('none', []);
    expect(b.text).not.toContain(ADDR);
    expect(b.manifest.redaction.kept).toBeUndefined();
  });
});
