import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRpsXps } from '../../collectors/rps-xps.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/rps_xps');
const capture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('parseRpsXps on real captures', () => {
  it('the lab receiver: eth0 rx-0 steered to cpu1 (mask 2)', () => {
    const { value, warnings } = parseRpsXps(capture('dropkit-lab-receiver-rps-cpu1.txt'));
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      { iface: 'eth0', queue: 'rx-0', rpsCpus: '2', rpsFlowCnt: 0 },
      { iface: 'eth0', queue: 'tx-0', xpsCpus: '0' },
      { iface: 'lo', queue: 'rx-0', rpsCpus: '0', rpsFlowCnt: 0 },
    ]);
  });

  it('a VM with RPS off everywhere', () => {
    const { value, warnings } = parseRpsXps(capture('debian12-vm-host-rps-off.txt'));
    expect(warnings).toEqual([]);
    expect(value.length).toBeGreaterThanOrEqual(2);
    expect(value.every((q) => q.rpsCpus === '0')).toBe(true);
  });

  it('multi-group masks are kept as printed; hostile lines are warnings, never values', () => {
    const { value, warnings } = parseRpsXps(
      [
        'eth0/rx-0/rps_cpus 00000000,00000003',
        '../x/rx-0/rps_cpus 2',
        'eth0/rx-1/rps_cpus $(reboot)',
        'eth0/rx-2/rps_flow_cnt -1',
        'a name/rx-0/rps_cpus 2',
      ].join('\n'),
    );
    expect(value).toEqual([
      { iface: 'eth0', queue: 'rx-0', rpsCpus: '00000000,00000003' },
      { iface: 'eth0', queue: 'rx-1' },
      { iface: 'eth0', queue: 'rx-2' },
    ]);
    expect(warnings).toHaveLength(4);
  });
});
