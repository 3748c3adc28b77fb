import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVER_TABLES, knownDriver } from '../../../collectors/diagnosis/drivers/index.js';
import { inferDriver } from '../../../collectors/diagnosis/drivers/infer.js';
import type { DriverTable } from '../../../collectors/diagnosis/drivers/rule.js';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { parseEthtoolStats } from '../../../collectors/ethtool-stats.js';
import { FIXTURES_DIR, fixture } from '../fixture-files.js';
import { ENA_IP_LINK, MANA_ETHTOOL_S, MANA_WITH_NO_WQE, MLX5_ETHTOOL_S } from './captures.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// Without `ethtool -i` the driver is named by the `ethtool -S` names only it prints
// (drivers/infer.ts), on every real capture we hold: its own driver, or none.

const keysOf = (text: string) => Object.keys(parseEthtoolStats(text).value.stats);

// What each capture must give. `undefined`: no table, or no name of its own:
// - bnxt_en: bng_en (bnge_ethtool.c) prints the same ring, port and `*_total_*` names, so only
//   the pre-6.2 `*_total_discard_pkts` tell them apart, and this capture is newer.
// - the ethq virtio_net capture predates `kicks`: its `rx_queue_N_packets/bytes` are
//   hv_netvsc's and ice's names too.
// - the semisynthetic node_exporter file is generic names plus test lines.
const EXPECTED: Record<string, string | undefined> = {
  'ethq-test-bnxt_en.txt': undefined,
  'ethq-test-ena.txt': 'ena',
  'ethq-test-i40e.txt': undefined,
  'ethq-test-ice.txt': undefined,
  'ethq-test-mlx5_core.txt': 'mlx5_core',
  'ethq-test-sfc.txt': undefined,
  'ethq-test-tg3.txt': undefined,
  'ethq-test-virtio_net.txt': undefined,
  'ethq-test-vmxnet3.txt': undefined,
  'hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt': 'hv_netvsc',
  'iwlwifi-laptop-debian11-u64max-values.txt': undefined,
  'mana-azure-per-queue-partial-before-affinity-change.txt': 'mana',
  'semisynthetic-node_exporter-fixture-eth0-dup-and-dotted-keys.txt': undefined,
  'veth-docker-container-ubuntu20-xdp-queue-stats.txt': 'veth',
};

// The driver each capture is from, by its file name (SOURCES.md).
const DRIVER_OF: Array<[RegExp, string]> = [
  [/bnxt_en/, 'bnxt_en'],
  [/-ena\./, 'ena'],
  [/mlx5_core/, 'mlx5_core'],
  [/virtio_net/, 'virtio_net'],
  [/^hv_netvsc/, 'hv_netvsc'],
  [/^mana/, 'mana'],
  [/^veth/, 'veth'],
];

const CAPTURES = readdirSync(join(FIXTURES_DIR, 'ethtool_S')).filter((f) => f.endsWith('.txt'));
const markedBy = (keys: string[]) =>
  DRIVER_TABLES.filter((t) => inferDriver([t], keys) !== undefined).map((t) => t.drivers[0]);

describe('driver inference from ethtool -S names (real captures)', () => {
  it('knows what every capture in test/fixtures/ethtool_S must give', () => {
    expect(CAPTURES.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(CAPTURES)('%s: its own driver or nothing', (file) => {
    const keys = keysOf(fixture(`ethtool_S/${file}`));
    expect(inferDriver(DRIVER_TABLES, keys)).toBe(EXPECTED[file]);
    // No other table's marker is in it either: a shared name would be a wrong inference
    // waiting for the capture's own table to lose its markers.
    const own = DRIVER_OF.find(([re]) => re.test(file))?.[1];
    expect(markedBy(keys).filter((d) => d !== own)).toEqual([]);
  });

  it('two drivers marked: nothing (mana and mlx5 names in one set)', () => {
    const keys = [...keysOf(MANA_ETHTOOL_S), ...keysOf(MLX5_ETHTOOL_S)];
    expect(markedBy(keys)).toEqual(['mlx5_core', 'mana']);
    expect(inferDriver(DRIVER_TABLES, keys)).toBeUndefined();
  });

  it('a repeated key (`key#2`) is read by its printed name', () => {
    expect(inferDriver(DRIVER_TABLES, ['tx_0_mana_map_err#2'])).toBe('mana');
  });

  it('the driver the host names wins; inferred only when it names none', () => {
    const mana = parseEthtoolStats(MANA_ETHTOOL_S).value.stats;
    expect(knownDriver('mlx5_core', mana)).toEqual({ name: 'mlx5_core', source: 'reported' });
    expect(knownDriver(undefined, mana)).toEqual({ name: 'mana', source: 'counter names' });
    expect(knownDriver('', mana)).toEqual({ name: 'mana', source: 'counter names' });
    expect(knownDriver(undefined, undefined)).toBeUndefined();
  });

  // A pattern is anchored at both ends, so it names whole keys, never a part of one.
  it.each(DRIVER_TABLES.map((t): [string, DriverTable] => [t.drivers[0]!, t]))(
    '%s: markers are exact names or anchored patterns',
    (_, t) => {
      for (const m of t.markers ?? []) {
        if (typeof m === 'string') continue;
        expect(m.source).toMatch(/^\^.*\$$/);
        expect(m.flags).toBe('');
      }
    },
  );
});

// The mana capture without `ethtool -i`: its hc_rx_discards_no_wqe (appended in captures.ts;
// the capture predates it) rising is a RING loss of the mana table, not a guessed OTHER.
describe('diagnosis with the driver inferred (mana, no ethtool -i)', () => {
  const vf = (driver?: string) =>
    snapshotFrom({
      host: 'vmM',
      takenAt: '2024-05-01T10:00:00.000Z',
      ifaces: [
        {
          name: 'enP30832s1',
          kind: 'other',
          ...(driver ? { driver } : {}),
          ethtoolS: MANA_WITH_NO_WQE,
          ipLink: { text: ENA_IP_LINK, name: 'eth0' },
        },
      ],
    });
  const run = (driver?: string) => {
    const before = vf(driver);
    const raise = { seconds: 30, ethtool: { enP30832s1: { hc_rx_discards_no_wqe: 7_040n } } };
    return diagnose({ before, after: later(before, raise) });
  };

  it('is one RING finding whose evidence says the driver was inferred', () => {
    const [f, ...rest] = run();
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ class: 'RING', iface: 'enP30832s1', packets: 7_040n });
    const e = f!.evidence.find((x) => x.name === 'ethtool enP30832s1 hc_rx_discards_no_wqe');
    expect(e?.meaning).toBe(
      'hardware RX discards: no receive WQE/buffer posted (mana rule; driver inferred from counter names)',
    );
  });

  it('with the same confidence as when ethtool -i names mana, and no such clause then', () => {
    const [inferred] = run();
    const [reported] = run('mana');
    expect(inferred!.confidence).toBe(reported!.confidence);
    expect(inferred!.severity).toBe(reported!.severity);
    const meanings = (f: typeof reported) => f!.evidence.map((e) => e.meaning ?? '').join('\n');
    expect(meanings(inferred)).toContain('inferred from counter names');
    expect(meanings(reported)).not.toContain('inferred');
  });
});
