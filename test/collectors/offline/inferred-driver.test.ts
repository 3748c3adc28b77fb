import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deltaView, hostView } from '../../../collectors/analyze-json.js';
import { diagnose, diagnoseAll } from '../../../collectors/diagnosis/engine.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { snapshotDelta } from '../../../collectors/snapshot-delta.js';
import { formatDelta, formatSnapshot } from '../../../kit/cli/format-snapshot.js';
import { MANA_WITH_NO_WQE } from '../diagnosis/captures.js';
import { fixture } from '../fixture-files.js';

// `collect analyze` on a directory with only `ethtool_-S_eth0`: no ethtool -i, no sysfs, so
// only the counter names can name the driver (collectors/diagnosis/drivers/infer.ts). The
// steps are analyze's own (kit/cli/analyze-command.ts); real captures throughout.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-inferred-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sos(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, 'sos_commands/networking', rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

const quiet = { warn: () => undefined };
const load = async (root: string) => (await loadCapture(root, quiet)).after[0]!;

describe('collect analyze: the driver inferred from ethtool -S names alone', () => {
  it('one capture: the mana driver, marked inferred in the JSON and the table', async () => {
    const h = await load(sos('one', { 'ethtool_-S_eth0': MANA_WITH_NO_WQE }));
    expect(h.interfaces.map((i) => [i.name, i.driver])).toEqual([['eth0', undefined]]);
    expect(hostView(h).interfaces[0]).toMatchObject({
      name: 'eth0',
      driver: 'mana',
      driverSource: 'counter names',
    });
    expect(formatSnapshot(h)).toMatch(/^eth0\s+mana \(inferred from counter names\)\s+other\s/m);
  });

  it('with ethtool -i the driver is the reported one', async () => {
    const h = await load(
      sos('reported', {
        'ethtool_-S_eth0': fixture('ethtool_S/ethq-test-ena.txt'),
        'ethtool_-i_eth0': fixture('ethtool_i/ena-aws-t3.micro-2.5.0g.txt'),
      }),
    );
    expect(hostView(h).interfaces[0]).toMatchObject({ driver: 'ena', driverSource: 'reported' });
    expect(formatSnapshot(h)).not.toContain('inferred');
  });

  it('names no driver when the names show none (old virtio_net)', async () => {
    const h = await load(
      sos('none', { 'ethtool_-S_eth0': fixture('ethtool_S/ethq-test-virtio_net.txt') }),
    );
    expect(hostView(h).interfaces[0]).toMatchObject({ driver: null, driverSource: null });
    expect(diagnose({ after: h })).toEqual([]);
  });

  it('two captures: hc_rx_discards_no_wqe rising is a RING finding that says so', async () => {
    const b = await load(sos('before', { 'ethtool_-S_eth0': MANA_WITH_NO_WQE }));
    const a = await load(
      sos('after', {
        'ethtool_-S_eth0': MANA_WITH_NO_WQE.replace(
          'hc_rx_discards_no_wqe: 0',
          'hc_rx_discards_no_wqe: 7040',
        ),
      }),
    );
    const delta = snapshotDelta(b, a);
    expect(deltaView(delta).interfaces[0]).toMatchObject({
      driver: 'mana',
      driverSource: 'counter names',
      ethtool: { hc_rx_discards_no_wqe: 7040n },
    });
    const text = formatDelta(delta);
    expect(text).toMatch(/^eth0\s+mana \(inferred from counter names\)\s/m);
    expect(text).toMatch(/^\s*eth0\s+hc_rx_discards_no_wqe\s+7,040\s/m);
    const findings = diagnoseAll([{ before: b, after: a, delta }]);
    expect(findings.map((f) => [f.class, f.iface, f.packets])).toEqual([['RING', 'eth0', 7040n]]);
    expect(findings[0]!.evidence[0]).toMatchObject({
      name: 'ethtool eth0 hc_rx_discards_no_wqe',
      meaning: expect.stringContaining('(mana rule; driver inferred from counter names)'),
    });
  });
});
