import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../collectors/model.js';
import { analyzePaths } from '../../../collectors/offline/analyze-paths.js';
import { planFromFindings } from '../../../repro/mitigate/plan.js';
import { MLX5, VF } from '../../fakes/azure-pair.js';
import { azureRun } from '../../fakes/azure-run.js';

// The fixes `repro mitigate` makes permanent come from the findings' own advice.

describe('the plan from a real lab bundle (test/fixtures/bundles)', () => {
  it('the BACKLOG finding becomes netdev_max_backlog 32768, from the 10 the receiver had', async () => {
    const read = await analyzePaths(
      'test/fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz',
      undefined,
    );
    const { plan, skipped } = planFromFindings(read.findings, read.hosts);
    expect(plan.ring).toEqual([]);
    expect(plan.sysctls).toHaveLength(1);
    expect(plan.sysctls[0]).toMatchObject({
      name: 'net.core.netdev_max_backlog',
      current: 10,
      target: 32768,
    });
    expect(plan.sysctls[0]!.because).toMatch(/BACKLOG/);
    expect(skipped).toEqual([]);
  });
});

describe('the plan from an Azure accelerated-networking run (test/fakes/azure-pair.ts)', () => {
  it('the RING finding on the VF: its driver, 1024 of 8192, matched as an Azure VF', async () => {
    const { rec, parts } = await azureRun(MLX5);
    const hosts = rec.hosts.flatMap((x): Snapshot[] => (x.after ? [x.after.snapshot] : []));
    const { plan } = planFromFindings(parts.findings, hosts);
    expect(plan.ring).toEqual([
      {
        host: 'vmB',
        iface: VF,
        driver: 'mlx5_core',
        azureVf: true,
        current: 1024,
        max: 8192,
      },
    ]);
    expect(planFromFindings(parts.findings, hosts, { ring: 4096 }).plan.ring[0]!.wanted).toBe(4096);
  });

  it('a ring already at its maximum, or a finding without a setting, is skipped with its reason', () => {
    const snapshot = {
      host: 'h',
      interfaces: [
        {
          name: 'eth0',
          kind: 'physical',
          slaves: [],
          kernel: {},
          ring: { rx: 4096, rxMax: 4096, tx: null, txMax: null },
        },
      ],
      sysctls: {},
    } as unknown as Snapshot;
    const finding = (cls: string, summary: string) =>
      ({
        class: cls,
        host: 'h',
        iface: 'eth0',
        title: 't',
        mitigation: { summary, commands: [], persistent: [] },
      }) as never;
    const { plan, skipped } = planFromFindings(
      [finding('RING', 'already at its maximum'), finding('CLOUD', 'ask the vendor')],
      [snapshot],
    );
    expect(plan).toEqual({ ring: [], sysctls: [] });
    expect(skipped).toEqual([
      'h eth0: RING: already at its maximum',
      'h eth0: CLOUD: ask the vendor',
    ]);
  });
});
