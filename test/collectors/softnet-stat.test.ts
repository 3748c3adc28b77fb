import { describe, expect, it } from 'vitest';
import { parseSoftnetStat } from '../../collectors/softnet-stat.js';
import { fixture } from './fixture-files.js';

const parse = (rel: string) => parseSoftnetStat(fixture(`softnet_stat/${rel}`));

describe('parseSoftnetStat on fixtures', () => {
  it('aws-ec2 5.4 (11 cols, 2 CPUs)', () => {
    const { value, warnings } = parse('aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');
    expect(warnings).toEqual([]);
    expect(value.rows.map((r) => [r.cpu, r.processed, r.columns])).toEqual([
      [0, 0x47f2n, 11],
      [1, 0xdb31n, 11],
    ]);
    expect(value.rows[1]?.cpuFromIndexColumn).toBe(false);
    expect(value.rows[1]?.flowLimitCount).toBe(0n);
    expect(value.rows[1]?.backlogLen).toBeUndefined();
  });

  it('blog 4 CPUs: time_squeeze is column 3', () => {
    const { value } = parse('blog-4cpu-11col-time_squeeze-nonzero.txt');
    expect(value.rows.map((r) => r.timeSqueeze)).toEqual([54n, 355n, 253n, 696n]);
    expect(value.rows.map((r) => r.dropped)).toEqual([0n, 0n, 0n, 0n]);
    expect(value.rows[3]?.processed).toBe(138625n);
  });

  it('kernel 2.6.32: 9 columns, no received_rps', () => {
    const { value, warnings } = parse('hjr3-softnet-stat-kernel-2_6_32.txt');
    expect(warnings).toEqual([]);
    expect(value.rows).toHaveLength(6);
    expect(value.rows.every((r) => r.columns === 9)).toBe(true);
    expect(value.rows[0]?.processed).toBe(1842008611n);
    expect(value.rows[4]).toMatchObject({ cpu: 4, timeSqueeze: 5n });
    expect(value.rows[0]?.receivedRps).toBeUndefined();
  });

  it('kernel 3.11: 11 columns, 8 CPUs', () => {
    const { value } = parse('hjr3-softnet-stat-kernel-3_11.txt');
    expect(value.rows).toHaveLength(8);
    expect(value.rows[0]?.processed).toBe(142307n);
    expect(value.rows[7]).toMatchObject({ cpu: 7, processed: 0xcb3n, receivedRps: 0n });
  });

  it('kernel 5.10.47: 13 columns, CPU from column 13', () => {
    const { value } = parse('hjr3-softnet-stat-kernel-5_10_47.txt');
    expect(value.rows.map((r) => [r.cpu, r.cpuFromIndexColumn, r.timeSqueeze])).toEqual([
      [0, true, 899n],
      [1, true, 193n],
    ]);
    expect(value.rows[1]?.backlogLen).toBe(0n);
    expect(value.rows[1]?.inputQlen).toBeUndefined();
  });

  it('node_exporter fixture: no trailing newline, dropped on CPU 1', () => {
    const text = fixture('softnet_stat/prometheus-node_exporter-fixture-11col.txt');
    expect(text.endsWith('\n')).toBe(false);
    const { value, warnings } = parseSoftnetStat(text);
    expect(warnings).toEqual([]);
    // Four rows, although the shared README says 3 CPUs.
    expect(value.rows).toHaveLength(4);
    expect(value.rows[1]).toMatchObject({ cpu: 1, dropped: 41n, timeSqueeze: 10n });
    expect(value.rows[3]).toMatchObject({ cpu: 3, processed: 0x2f8339n, timeSqueeze: 50n });
  });

  it('sysstat simulation root1 (semisynthetic): 9 rows of 11 cols', () => {
    const { value } = parse('semisynthetic-sysstat-sim-root1.txt');
    expect(value.rows).toHaveLength(9);
    expect(value.rows[3]?.processed).toBe(66787n);
    expect(value.rows[8]?.processed).toBe(0x22n);
  });
});

// Variations described in the shared README whose fixtures are not in this set.
describe('parseSoftnetStat variations', () => {
  const zeros = (n: number) => Array.from({ length: n }, () => '00000000');
  const row = (first: string[], total: number, tail: string[] = []) =>
    [...first, ...zeros(total - first.length - tail.length), ...tail].join(' ');

  it('15 columns (6.4+): index column skips offline CPUs, queue lengths read', () => {
    const text = [
      row(['00000010', '00000001', '00000002'], 15, [
        '00000005',
        '00000000',
        '00000003',
        '00000002',
      ]),
      row(['00000020'], 15, ['00000000', '00000002', '00000000', '00000000']),
    ].join('\n');
    const { value, warnings } = parseSoftnetStat(text);
    expect(warnings).toEqual([]);
    expect(value.rows[0]).toMatchObject({
      cpu: 0,
      backlogLen: 5n,
      inputQlen: 3n,
      processQlen: 2n,
      columns: 15,
    });
    expect(value.rows[1]).toMatchObject({ cpu: 2, cpuFromIndexColumn: true, processed: 0x20n });
  });

  it('tolerates extra columns beyond 15 (unmerged 17-column proposal)', () => {
    const { value, warnings } = parseSoftnetStat(row(['ffffffff'], 17));
    expect(warnings).toEqual([]);
    expect(value.rows[0]).toMatchObject({ cpu: 0, processed: 4294967295n, columns: 17 });
  });

  it('mixed column counts, CRLF, elision line and a garbage row', () => {
    const text = [
      row(['00000001'], 13, ['00000000', '00000004']),
      '...',
      row(['00000002'], 11),
      'not a softnet row at all',
      row(['00000003'], 9),
      '',
    ].join('\r\n');
    const { value, warnings } = parseSoftnetStat(text);
    expect(value.elided).toBe(true);
    expect(value.rows.map((r) => [r.cpu, r.cpuFromIndexColumn, r.columns])).toEqual([
      [4, true, 13],
      [1, false, 11],
      [3, false, 9],
    ]);
    expect(warnings.some((w) => w.includes('elided'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('line 4:'))).toBe(true);
  });

  it('warns about short and narrow rows instead of trusting them', () => {
    const { value, warnings } = parseSoftnetStat(
      '00000001 00000002 00000003\n0001 ' + zeros(8).join(' '),
    );
    expect(value.rows).toHaveLength(1);
    expect(value.rows[0]?.cpu).toBe(1);
    expect(warnings).toHaveLength(2);
  });

  it('empty input: no rows and a warning', () => {
    expect(parseSoftnetStat('')).toEqual({
      value: { rows: [], elided: false },
      warnings: ['no softnet_stat rows found'],
    });
  });
});
