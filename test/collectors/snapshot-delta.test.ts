import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../collectors/model.js';
import { getOwn } from '../../collectors/own-record.js';
import { parseProcNetSnmp } from '../../collectors/proc-net-snmp.js';
import { snapshotDelta } from '../../collectors/snapshot-delta.js';

const snapshot = (takenAt: string, snmp: string): Snapshot => ({
  schema: 'dropkit.snapshot/1',
  host: 'h',
  takenAt,
  durationMs: 0,
  facts: {},
  interfaces: [],
  softnet: [],
  sysctls: {},
  snmp: parseProcNetSnmp(snmp).value,
  sources: [],
  warnings: [],
});

describe('snapshotDelta', () => {
  it('snmp groups named like Object.prototype members are ordinary groups', () => {
    const before = snapshot('2026-01-01T00:00:00.000Z', 'Udp: InErrors\nUdp: 1\n');
    const after = snapshot(
      '2026-01-01T00:00:10.000Z',
      'Udp: InErrors\nUdp: 3\n__proto__: InErrors\n__proto__: 7\nconstructor: InErrors\nconstructor: 2\n',
    );
    const d = snapshotDelta(before, after);
    expect(Object.getPrototypeOf(d.snmp)).toBe(Object.prototype);
    expect(Object.keys(d.snmp)).toEqual(['Udp', '__proto__', 'constructor']);
    expect(d.snmp['Udp']?.deltas['InErrors']?.delta).toBe(2n);
    // Not in `before`: added, whatever Object.prototype holds under that name.
    expect(getOwn(d.snmp, '__proto__')?.added).toEqual(['InErrors']);
    expect(d.snmp['constructor']).toEqual({
      deltas: {},
      added: ['InErrors'],
      removed: [],
      resets: [],
      wrapped: [],
    });
  });
});
