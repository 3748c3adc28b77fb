import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseAll } from '../../../collectors/diagnosis/engine.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { snapshotDelta } from '../../../collectors/snapshot-delta.js';
import { writeTree } from '../../file-tree.js';
import { fixture } from '../fixture-files.js';

// Interfaces named only by their ethtool files: a sos report or a copied
// raw/ without ip link, sysfs or /proc/net/dev. Real captures throughout.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-ethtool-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tree = (name: string, files: Record<string, string>) => writeTree(dir, name, files);

const quiet = { warn: () => undefined };

describe('collect analyze: interfaces known only from their ethtool files', () => {
  it('a sos report with ethtool -S/-i/-g of eth0 and no ip link lists eth0', async () => {
    const root = tree('sos', {
      'sos_commands/networking/ethtool_-S_eth0': fixture('ethtool_S/ethq-test-ena.txt'),
      'sos_commands/networking/ethtool_-i_eth0': fixture('ethtool_i/ena-aws-t3.micro-2.5.0g.txt'),
      'sos_commands/networking/ethtool_-g_eth0': fixture('ethtool_g/ena-aws-ens5-tabs-na.txt'),
    });
    const h = (await loadCapture(root, quiet)).after[0]!;
    expect(h.interfaces.map((i) => i.name)).toEqual(['eth0']);
    const eth0 = h.interfaces[0]!;
    expect(eth0.driver).toBe('ena');
    expect(eth0.kind).toBe('physical');
    expect(eth0.ring).toEqual({ rx: 1024, rxMax: 16384, tx: 1024, txMax: 1024 });
    expect(eth0.ethtool?.tx_timeout).toBe(0n);
    expect(eth0.kernel).toEqual({});
    expect(h.warnings.join('\n')).not.toMatch(/did not list/);
  });

  it('a snapshot raw/ with ethtool files only: the mlx5 VF, its counters and its RING finding', async () => {
    const mlx5 = fixture('ethtool_S/ethq-test-mlx5_core.txt');
    const raw = (S: string) => ({
      'raw/ethtool/enP30832s1/ethtool-S.txt': S,
      'raw/ethtool/enP30832s1/ethtool-i.txt': fixture(
        'ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt',
      ),
    });
    const before = tree('before', raw(mlx5));
    const after = tree(
      'after',
      raw(mlx5.replace('rx_out_of_buffer: 0', 'rx_out_of_buffer: 52311')),
    );
    const b = (await loadCapture(before, quiet)).after[0]!;
    const a = (await loadCapture(after, quiet)).after[0]!;
    expect(a.interfaces.map((i) => [i.name, i.driver])).toEqual([['enP30832s1', 'mlx5_core']]);
    expect(a.interfaces[0]!.ethtool?.rx_out_of_buffer).toBe(52311n);
    const delta = snapshotDelta(b, a);
    expect(delta.interfaces[0]!.ethtool?.deltas.rx_out_of_buffer?.delta).toBe(52311n);
    // Neither raw/ has a snapshot.json: their times are their files', no rate.
    expect(delta.intervalSec).toBe(0);
    const findings = diagnoseAll([{ before: b, after: a, delta }]);
    expect(findings.map((f) => [f.class, f.iface])).toContainEqual(['RING', 'enP30832s1']);
  });
});
