import { describe, expect, it } from 'vitest';
import { diagnose, findingLine } from '../../../collectors/diagnosis/engine.js';
import { T0 } from './azure-vm.js';
import {
  ENA_ETHTOOL_G,
  ENA_ETHTOOL_I,
  ENA_IP_LINK,
  enaWithAllowances,
  SOFTNET_2CPU,
  SYSCTL_LAB,
} from './captures.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// An EC2 host: the ENA capture (4 queues) with the ENI allowance counters a current driver
// prints (captures.ts), its ring (ens5, 1024 of 16384) and kernel counters (eth0 capture).
function ec2(pps: bigint) {
  return snapshotFrom({
    host: 'ec2A',
    takenAt: T0,
    ifaces: [
      {
        name: 'ens5',
        kind: 'physical',
        ethtoolI: ENA_ETHTOOL_I,
        ethtoolS: enaWithAllowances(pps),
        ethtoolG: ENA_ETHTOOL_G,
        ipLink: { text: ENA_IP_LINK, name: 'eth0' },
      },
    ],
    // softnet_stat of a 5.10 host with time_squeeze > 0 since boot: must stay quiet.
    softnet: SOFTNET_2CPU,
    sysctl: SYSCTL_LAB,
  });
}

describe('CLOUD: ENA allowances (AWS-PERF)', () => {
  it('pps_allowance_exceeded rising during the run is CLOUD on that interface', () => {
    const before = ec2(0n);
    const after = later(before, {
      seconds: 20,
      ethtool: { ens5: { pps_allowance_exceeded: 4_821n } },
    });
    const findings = diagnose({ before, after });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      class: 'CLOUD',
      iface: 'ens5',
      severity: 'critical',
      confidence: 'high',
      packets: 4_821n,
      sinceBoot: false,
    });
    expect(f!.evidence[0]).toMatchObject({
      name: 'ethtool ens5 pps_allowance_exceeded',
      delta: 4_821n,
    });
    expect(f!.evidence[0]!.sinceBoot).toBeUndefined();
    expect(f!.explanation).toContain('packets-per-second allowance');
    expect(f!.explanation).toContain('during the run');
    // No guest setting raises a provider allowance: nothing to run, one thing to watch.
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.checks).toEqual(['ethtool -S ens5 | grep allowance']);
    expect(findingLine(f!)).toMatch(
      /^CLOUD {4}ec2A ens5: 4,821 packets over the provider allowance \(pps_allowance_exceeded\) — fix: The provider enforces this outside the VM\./,
    );
  });

  it('on a single snapshot the allowance is reported since boot', () => {
    const findings = diagnose({ after: ec2(1_234n) });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      class: 'CLOUD',
      iface: 'ens5',
      sinceBoot: true,
      severity: 'warning',
    });
    expect(f!.evidence).toEqual([
      expect.objectContaining({
        name: 'ethtool ens5 pps_allowance_exceeded',
        delta: 1_234n,
        sinceBoot: true,
      }),
    ]);
    expect(f!.title).toContain('since boot');
    expect(f!.explanation).toContain('count since boot');
    expect(f!.explanation).not.toContain('during the run');
  });

  it('conntrack_allowance_available is a gauge, never a finding', () => {
    const before = ec2(0n);
    const after = later(before, {
      seconds: 20,
      ethtool: { ens5: { conntrack_allowance_available: 5_000n } },
    });
    expect(diagnose({ before, after })).toEqual([]);
  });
});
