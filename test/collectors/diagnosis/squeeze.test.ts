import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { azureVm, MLX5_VF, T0 } from './azure-vm.js';
import { SOFTNET_4CPU_SQUEEZE, SYSCTL_LAB } from './captures.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// softnet time_squeeze: NAPI ran out of budget with packets left. Not a drop by itself.
describe('SQUEEZE', () => {
  const before = snapshotFrom({
    host: 'vmC',
    takenAt: T0,
    ifaces: [],
    softnet: SOFTNET_4CPU_SQUEEZE,
    sysctl: SYSCTL_LAB,
  });

  it('time_squeeze rising is a SQUEEZE warning with a budget computed from the current one', () => {
    const after = later(before, {
      seconds: 10,
      softnet: { 2: { timeSqueeze: 500n }, 3: { timeSqueeze: 20n } },
    });
    const findings = diagnose({ before, after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      class: 'SQUEEZE',
      severity: 'warning',
      cpus: [2, 3],
      packets: 520n,
    });
    expect(findings[0]!.mitigation.commands).toEqual([
      'sysctl -w net.core.netdev_budget=600 net.core.netdev_budget_usecs=8000',
    ]);
    expect(findings[0]!.mitigation.persistent).toEqual([
      'net.core.netdev_budget = 600',
      'net.core.netdev_budget_usecs = 8000',
    ]);
  });

  it('with the budget not collected: unknown, read first, no command', () => {
    const blind = snapshotFrom({
      host: 'vmC',
      takenAt: T0,
      ifaces: [],
      softnet: SOFTNET_4CPU_SQUEEZE,
      sysctl: SYSCTL_LAB.split('\n')
        .filter((l) => !l.startsWith('net.core.netdev_budget'))
        .join('\n'),
    });
    const after = later(blind, { seconds: 10, softnet: { 2: { timeSqueeze: 500n } } });
    const [f] = diagnose({ before: blind, after });
    expect(f).toMatchObject({
      class: 'SQUEEZE',
      unknown: ['net.core.netdev_budget', 'net.core.netdev_budget_usecs'],
    });
    expect(f!.mitigation.commands).toEqual([]);
    expect(f!.mitigation.checks).toEqual([
      'sysctl net.core.netdev_budget net.core.netdev_budget_usecs',
    ]);
  });

  it('a few squeezes are ordinary scheduling, not a finding', () => {
    const after = later(before, { seconds: 10, softnet: { 0: { timeSqueeze: 3n } } });
    expect(diagnose({ before, after })).toEqual([]);
  });

  it('with ring drops on the same host, any squeeze is critical and listed after RING', () => {
    const vm = azureVm('vmA', [MLX5_VF]);
    const after = later(vm, {
      seconds: 10,
      ethtool: { enP1s1: { rx_out_of_buffer: 3_000n } },
      softnet: { 0: { timeSqueeze: 4n } },
    });
    const findings = diagnose({ before: vm, after });
    expect(findings.map((f) => [f.class, f.severity])).toEqual([
      ['RING', 'critical'],
      ['SQUEEZE', 'critical'],
    ]);
    expect(findings[1]!.explanation).toContain('RX ring of enP1s1');
  });
});
