import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lspciCollector, parseLspci, pciNicOf } from '../../collectors/lspci.js';
import { failureReason } from '../../collectors/snapshot/source-status.js';
import { FIXTURES_DIR, fixture } from './fixture-files.js';

// lspci -Dnnk of an Azure VM (NV16as v4, CentOS 7): the Mellanox accelerated-networking VF with
// mlx5_core bound, beside two display controllers (test/fixtures/SOURCES.md).
const AZURE = 'lspci/azure-nv16as-v4-centos7-mlx5-vf-and-gpus.txt';

describe('lspci -nnk', () => {
  it('keeps the network controllers of a real Azure capture, with ids and driver', () => {
    const { value, warnings } = parseLspci(fixture(AZURE));
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      {
        slot: '00c4:00:02.0',
        className: 'Ethernet controller',
        classCode: '0200',
        device: 'Mellanox Technologies MT27710 Family [ConnectX-4 Lx Virtual Function]',
        ids: '15b3:1016',
        rev: '80',
        subsystem: 'Mellanox Technologies Device [15b3:0190]',
        driver: 'mlx5_core',
        modules: ['mlx5_core'],
      },
    ]);
    // ethtool -i's bus-info names the same device.
    expect(pciNicOf(value, '00c4:00:02.0')?.driver).toBe('mlx5_core');
    expect(pciNicOf(value, '0000:00:08.0')).toBeUndefined();
  });

  it('reads a MANA VF with no driver bound, and a slot without a domain', () => {
    // Composed: the MANA device line in the shape lspci -nn prints (`Microsoft Azure Network
    // Adapter Virtual Bus [1414:00ba]`, as the PCI ids name it), with no `Kernel driver in use`:
    // a kernel without CONFIG_MICROSOFT_MANA leaves the VF orphaned.
    const { value } = parseLspci(
      [
        '7870:00:00.0 Ethernet controller [0200]: Microsoft Corporation Microsoft Azure Network Adapter Virtual Bus [1414:00ba]',
        '\tSubsystem: Microsoft Corporation Device [1414:0001]',
        '00:05.0 Ethernet controller [0200]: Red Hat, Inc. Virtio network device [1af4:1000]',
        '\tKernel driver in use: virtio-pci',
      ].join('\n'),
    );
    expect(value.map((n) => [n.slot, n.ids, n.driver ?? null])).toEqual([
      ['7870:00:00.0', '1414:00ba', null],
      ['00:05.0', '1af4:1000', 'virtio-pci'],
    ]);
    expect(pciNicOf(value, '0000:00:05.0')?.ids).toBe('1af4:1000');
  });

  it('warns on a line that is no device, and never takes its properties', () => {
    const { value, warnings } = parseLspci('garbage here\n\tKernel driver in use: evil\n');
    expect(value).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});

// The collector's script against a fake lspci that prints the real capture.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-lspci-'));
  for (const set of ['ok', 'missing', 'broken']) {
    await mkdir(join(dir, set));
    await symlink('/usr/bin/awk', join(dir, set, 'awk'));
  }
  const tool = async (set: string, body: string) => {
    await writeFile(join(dir, set, 'lspci'), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, set, 'lspci'), 0o755);
  };
  await tool('ok', `[ "$1" = -Dnnk ] || exit 9; /bin/cat '${FIXTURES_DIR}${AZURE}'`);
  await tool(
    'broken',
    "echo 'pcilib: Cannot open /proc/bus/pci' >&2; echo 'lspci: Cannot find any working access method.' >&2; exit 1",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sh = lspciCollector.source.kind === 'shell' ? lspciCollector.source.sh : '';

for (const [label, shell] of [
  ['bash', ['/bin/bash']],
  ['dash', ['/usr/bin/dash']],
  ['busybox sh', ['/usr/bin/busybox', 'sh']],
] as const) {
  describe(`the lspci section under ${label}`, () => {
    const run = (set: string) =>
      execa(shell[0]!, [...shell.slice(1), '-c', sh], {
        env: { PATH: join(dir, set) },
        reject: false,
        stripFinalNewline: false,
      });
    const section = (r: Awaited<ReturnType<typeof run>>) => ({
      id: 'lspci',
      stdout: Buffer.from(r.stdout),
      stderr: r.stderr,
      exitCode: r.exitCode ?? null,
      truncated: false,
    });

    it('keeps the network controllers only, as lspci printed them', async () => {
      const r = await run('ok');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(fixture(AZURE).split('\n').slice(3, 7).join('\n') + '\n');
    });

    it('is not collected without lspci: tool missing', async () => {
      const r = await run('missing');
      expect(r.exitCode).toBe(127);
      expect(failureReason(section(r), 5, lspciCollector.explain)).toBe('tool missing');
    });

    it("is not collected when lspci fails, with lspci's words", async () => {
      const r = await run('broken');
      expect(r.exitCode).toBe(1);
      expect(failureReason(section(r), 5, lspciCollector.explain)).toBe(
        'exit 1: pcilib: Cannot open /proc/bus/pci',
      );
    });
  });
}
