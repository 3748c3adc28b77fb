import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../collectors/model.js';
import { getOwn } from '../../collectors/own-record.js';
import { parseProcNetSnmp } from '../../collectors/proc-net-snmp.js';
import type { QdiscDelta } from '../../collectors/qdisc-delta.js';
import { snapshotDelta } from '../../collectors/snapshot-delta.js';
import { parseTcQdisc } from '../../collectors/tc-qdisc.js';
import { fixture } from './fixture-files.js';

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

describe('snapshotDelta: tc qdiscs', () => {
  // A UDP burst through a veth's mq (tbf 10: with pfifo 11: under it, tbf 20:, pfifo_fast), and
  // 1:4's pfifo_fast replaced by pfifo 40: between the captures (test/fixtures/SOURCES.md).
  const withTc = (takenAt: string, file: string, bootId?: string): Snapshot => ({
    ...snapshot(takenAt, ''),
    facts: bootId === undefined ? {} : { bootId },
    qdiscs: parseTcQdisc(fixture(`tc_qdisc/${file}`)).value.qdiscs,
  });
  const before = withTc(
    '2026-01-01T00:00:00.000Z',
    'debian12-iproute2-6.1-netns-mq-tbf-pfifo-udp-burst-before.txt',
  );
  const after = withTc(
    '2026-01-01T00:00:05.000Z',
    'debian12-iproute2-6.1-netns-mq-tbf-pfifo-udp-burst-after.txt',
  );
  const find = (qs: QdiscDelta[] | undefined, handle: string, parent: string) =>
    qs?.find((q) => q.handle === handle && q.parent === parent);
  const drops = (q: QdiscDelta | undefined) => q?.counters.deltas['drops'];

  it('matches qdiscs by device, handle and parent, with exact deltas and rates', () => {
    const d = snapshotDelta(before, after).qdiscs;
    expect(d?.map((q) => `${q.dev} ${q.kind} ${q.handle} ${q.parent} ${q.presence ?? ''}`)).toEqual(
      [
        'lo noqueue 0: root ',
        'dkqd0 mq 1: root ',
        'dkqd0 pfifo_fast 0: 1:3 ',
        'dkqd0 tbf 10: 1:1 ',
        'dkqd0 pfifo 40: 1:4 added',
        'dkqd0 tbf 20: 1:2 ',
        'dkqd0 pfifo 11: 10:1 ',
        // Gone qdiscs come last, as gone interfaces do.
        'dkqd0 pfifo_fast 0: 1:4 removed',
      ],
    );
    expect(drops(find(d, '20:', '1:2'))).toEqual({
      delta: 15_805n,
      reset: false,
      wrapped: false,
      ratePerSec: 3161,
    });
    expect(drops(find(d, '11:', '10:1'))?.delta).toBe(10_447n);
    // mq prints the sum of its children's: tbf 10: (pfifo 11:'s drops) + tbf 20:.
    expect(drops(find(d, '1:', 'root'))?.delta).toBe(26_252n);
    expect(find(d, '1:', 'root')?.counters.deltas['bytes']?.delta).toBe(23_934_485n - 426n);
    // Present on one side only: counters listed, never differenced.
    const added = find(d, '40:', '1:4');
    expect(added?.counters.deltas).toEqual({});
    expect(added?.counters.added).toEqual(['bytes', 'packets', 'drops', 'overlimits', 'requeues']);
    expect(find(d, '0:', '1:4')?.counters.removed).toContain('drops');
  });

  it('absent unless both captures have tc', () => {
    expect(snapshotDelta(snapshot(before.takenAt, ''), after)).not.toHaveProperty('qdiscs');
    expect(snapshotDelta(before, snapshot(after.takenAt, ''))).not.toHaveProperty('qdiscs');
  });

  it('drops, overlimits and requeues are 32-bit (gnet_stats_queue) and wrap; bytes are 64-bit', () => {
    const b = structuredClone(before);
    const tbf = b.qdiscs!.find((q) => q.handle === '20:')!;
    tbf.counters['drops'] = 0xffff_fff0n;
    tbf.counters['requeues'] = 0xffff_ffffn;
    const d = find(snapshotDelta(b, after).qdiscs, '20:', '1:2');
    // 0xfffffff0 → 15,805: 16 to the wrap, then 15,805.
    expect(drops(d)).toMatchObject({ delta: 15_805n + 16n, wrapped: true, reset: false });
    expect(d?.counters.deltas['requeues']).toMatchObject({ delta: 1n, wrapped: true });
    expect(d?.counters.wrapped.sort()).toEqual(['drops', 'requeues']);
  });

  it('fewer bytes than before: the qdisc was re-created, every counter restarted', () => {
    const b = structuredClone(before);
    const tbf = b.qdiscs!.find((q) => q.handle === '20:')!;
    tbf.counters['bytes'] = 10n ** 12n;
    tbf.counters['drops'] = 20_000n;
    const d = find(snapshotDelta(b, after).qdiscs, '20:', '1:2');
    expect(drops(d)).toMatchObject({ delta: 15_805n, reset: true, wrapped: false });
    expect(d?.counters.resets).toContain('drops');
  });

  it('a reboot in between (other boot id): counts since it, never a wrap', () => {
    const b = withTc(
      before.takenAt,
      'debian12-iproute2-6.1-netns-mq-tbf-pfifo-udp-burst-before.txt',
      'boot-1',
    );
    b.qdiscs!.find((q) => q.handle === '20:')!.counters['drops'] = 20_000n;
    const rebooted = { ...after, facts: { bootId: 'boot-2' } };
    expect(drops(find(snapshotDelta(b, rebooted).qdiscs, '20:', '1:2'))).toMatchObject({
      delta: 15_805n,
      reset: true,
    });
    // Same boot: a qdisc can still be re-created, so a 32-bit fall is judged by its distance.
    const sameBoot = { ...after, facts: { bootId: 'boot-1' } };
    expect(drops(find(snapshotDelta(b, sameBoot).qdiscs, '20:', '1:2'))?.reset).toBe(true);
  });

  it('another kind at the same place is another qdisc', () => {
    const b = structuredClone(before);
    b.qdiscs!.find((q) => q.handle === '20:')!.kind = 'pfifo';
    const d = snapshotDelta(b, after).qdiscs?.filter((q) => q.handle === '20:');
    expect(d?.map((q) => [q.kind, q.presence])).toEqual([
      ['tbf', 'added'],
      ['pfifo', 'removed'],
    ]);
  });

  it('the kind’s own counters (fq_codel drop_overlimit, drop_overmemory printed when not 0)', () => {
    const text = fixture('tc_qdisc/openwrt-qosmate-mq-fq_codel-drop-overmemory-excerpt.txt');
    const b: Snapshot = {
      ...snapshot(before.takenAt, ''),
      qdiscs: parseTcQdisc(text).value.qdiscs,
    };
    const a = structuredClone(b);
    a.takenAt = after.takenAt;
    // :a printed no drop_overmemory (0); now it drops 7 over its memory_limit.
    const q = a.qdiscs!.find((x) => x.parent === ':a')!;
    q.details[0] = 'maxpacket 0 drop_overlimit 7 new_flow_count 0 ecn_mark 0 drop_overmemory 7';
    const d = find(snapshotDelta(b, a).qdiscs, '0:', ':a');
    expect(d?.stats.deltas['drop_overlimit']?.delta).toBe(7n);
    expect(d?.stats.deltas['drop_overmemory']?.delta).toBe(7n);
    expect(
      find(snapshotDelta(b, a).qdiscs, '0:', ':9')?.stats.deltas['drop_overmemory']?.delta,
    ).toBe(0n);
  });
});
