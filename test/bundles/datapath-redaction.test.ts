import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { collectNodeBundle } from '../../bundles/collect-node-bundle.js';
import { EXIT } from '../../kit/exit-codes.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import { FakeTransport } from '../fakes/fake-transport.js';
import { snapshotOutput } from '../fakes/host-output.js';

// The datapath's new raw files go through the bundle's redactor like every other text file,
// and the leak scan of the finished tarball covers them: an Azure synthetic NIC's VMBus
// device GUID ends with its MAC (`…-2000-70a8a53148a8` for 70:a8:a5:31:48:a8, the shape
// hv_netvsc prints it in), and a kernel log line names it.

const SNAPSHOT = 'snapshot: snapshot script';
const MAC = '70:a8:a5:31:48:a8';
const GUID = 'f8615163-0000-1000-2000-70a8a53148a8';
const KERNEL_LOG = `# clock uptime=3600.00 realtime=1796610000.000000
[    4.678901] hv_netvsc ${GUID} eth0: VF registering: enP30832s1
[    5.890123] hv_netvsc ${GUID} eth0: Data path switched to VF: enP30832s1
`;
const LSPCI = fixture('lspci/azure-nv16as-v4-centos7-mlx5-vf-and-gpus.txt');

let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-datapath-redaction-'));
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

describe("the datapath's raw files in a redacted bundle", () => {
  it('are redacted, and the leak scan of the tarball passes', async () => {
    const vmB = new FakeTransport('vmB', {
      [SNAPSHOT]: (call) => ({
        stdout: snapshotOutput(call.req.script!, [
          { id: 'uname', body: capture('uname-vmB.txt') },
          { id: 'hostname', body: capture('hostname-vmB.txt') },
          // The MAC the host reports: a value the leak scan looks for, in every spelling.
          { id: 'sysfs_net', body: `eth0/address ${MAC}\neth0/driver hv_netvsc\n` },
          { id: 'kernel_log', body: KERNEL_LOG },
          { id: 'lspci', body: LSPCI },
        ]),
      }),
    });
    const out = await collectNodeBundle({
      specs: ['vmB'],
      open: async () => vmB,
      signal: new AbortController().signal,
      command: ['collect', 'bundle'],
      outDir: join(dir, 'out'),
      redact: true,
      keywords: [],
      onLog: () => undefined,
    });
    expect(out.exitCode).toBe(EXIT.OK);
    const back = await readTarGz(out.written.file);
    const files = new Map(
      back.entries.map((e) => [e.path.split('/').slice(1).join('/'), e.bytes.toString('utf8')]),
    );
    const host = [...files.keys()].find((p) => p.endsWith('/raw/kernel/dmesg-datapath.txt'))!;
    expect(host).toBeDefined();
    const log = files.get(host)!;
    // The lines are there, datapath words and interface names intact; the GUID (and the MAC in
    // it) is not.
    expect(log).toMatch(/hv_netvsc [0-9a-f-]{36} eth0: VF registering: enP30832s1/);
    expect(log).toContain('Data path switched to VF: enP30832s1');
    for (const [path, text] of files) {
      expect(text, path).not.toContain(GUID);
      expect(text.toLowerCase(), path).not.toContain('70a8a53148a8');
      expect(text.toLowerCase(), path).not.toContain(MAC);
    }
    // PCI addresses and ids are kept readable (bundles/README.md, "Redaction").
    const lspci = [...files.entries()].find(([p]) => p.endsWith('/raw/net/lspci-nnk.txt'))![1];
    expect(lspci).toContain('00c4:00:02.0 Ethernet controller [0200]');
    expect(lspci).toContain('[15b3:1016]');
    const manifest = JSON.parse(files.get('manifest.json')!);
    const entry = manifest.files.find((f: { path: string }) =>
      f.path.endsWith('dmesg-datapath.txt'),
    );
    expect(entry.redactions).toMatchObject({ guid: 2 });
  });
});
