import { describe, expect, it } from 'vitest';
import { scanForLeaks } from '../../../bundles/redact/index.js';
import { alignTime } from '../../../bundles/report/chart-spec.js';
import { columnOf, readCsv } from '../../../bundles/report/csv-rows.js';
import { attrs, esc, h, jsonForHtml } from '../../../bundles/report/html.js';
import { field, num } from '../../../bundles/report/json-read.js';
import { downsample, ratePoints } from '../../../bundles/report/rates.js';
import { isLossKey, parseSeriesKey } from '../../../bundles/report/series-keys.js';
import { csvLine } from '../../../kit/csv.js';

// The report's pure pieces on the shapes a bundle holds, and on what a
// hostile bundle could hold instead.

describe('reading the CSV files back', () => {
  it('reads what kit/csv.ts writes, quotes, commas and line breaks in fields included', () => {
    const fields = ['h,1', 'say "hi"', 'two\nlines', '', 'plain'];
    const t = readCsv(`a,b,c,d,e\r\n${csvLine(fields)}\n${csvLine(['1', '2', '3', '4', '5'])}\n`);
    expect(t.columns).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.rows).toEqual([fields, ['1', '2', '3', '4', '5']]);
    expect(columnOf(t, 'e')).toBe(4);
    expect(columnOf(t, 'missing')).toBe(-1);
  });

  it('stops at its row limit and says so; an unclosed quote ends the file', () => {
    const t = readCsv('x\n1\n2\n3\n4\n', 2);
    expect(t.rows).toEqual([['1'], ['2']]);
    expect(t.truncated).toBe(true);
    expect(readCsv('x\n"open,\n').rows).toEqual([['open,\n']]);
  });

  it('costs linear time on a line of quotes', () => {
    const started = performance.now();
    readCsv(`x\n${'"'.repeat(2_000_000)}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('counters into rates', () => {
  it('per second, at the end of each interval', () => {
    expect(
      ratePoints(
        [
          [1000, 0n],
          [1100, 50n],
          [1300, 50n],
        ],
        false,
      ),
    ).toEqual([
      [1100, 500],
      [1300, 0],
    ]);
  });

  it('softnet wraps at 32 bits; another counter that goes down was reset: no rate', () => {
    const wrap = ratePoints(
      [
        [0, 0xffffff00n],
        [1000, 0x10n],
      ],
      true,
    );
    expect(wrap).toEqual([[1000, 0x110]]);
    expect(
      ratePoints(
        [
          [0, 500n],
          [1000, 10n],
        ],
        false,
      ),
    ).toEqual([[1000, null]]);
  });

  it('keeps each slice’s peak when it cuts a long series', () => {
    const pts = Array.from({ length: 3000 }, (_, i) => [i * 100, i === 1234 ? 99 : 1] as const);
    const cut = downsample(pts, 1500);
    expect(cut).toHaveLength(1500);
    expect(Math.max(...cut.map((p) => p[1] ?? 0))).toBe(99);
  });

  it('puts two hosts’ samples on one axis, null where a host has none', () => {
    const a = alignTime([
      [
        [1000, 1],
        [1100, 2],
      ],
      [[1050, 7]],
    ]);
    expect(a).toEqual({
      x0Ms: 1000,
      x: [0, 50, 100],
      values: [
        [1, null, 2],
        [null, 7, null],
      ],
    });
  });
});

describe('series keys', () => {
  const nics = [{ name: 'eth0.100', kind: 'physical', driver: 'mlx5_core' }];
  it('splits at a known interface, even one with a dot', () => {
    expect(parseSeriesKey('iface.eth0.100.rx_dropped', nics)).toEqual({
      kind: 'iface',
      iface: 'eth0.100',
      counter: 'rx_dropped',
    });
    expect(parseSeriesKey('ethtool.eth0.100.rx_out_of_buffer', nics)).toEqual({
      kind: 'ethtool',
      iface: 'eth0.100',
      counter: 'rx_out_of_buffer',
    });
    expect(parseSeriesKey('softnet.cpu12.time_squeeze', [])).toEqual({
      kind: 'softnet',
      cpu: 12,
      counter: 'time_squeeze',
    });
    expect(parseSeriesKey('__proto__', []).kind).toBe('other');
  });

  it('judges loss by the driver tables: dropped, missed, out_of_buffer; not bytes', () => {
    const loss = (k: string) => isLossKey(parseSeriesKey(k, nics), nics);
    expect(loss('softnet.cpu1.dropped')).toBe(true);
    expect(loss('softnet.cpu1.time_squeeze')).toBe(false);
    expect(loss('iface.eth0.100.rx_missed_errors')).toBe(true);
    expect(loss('ethtool.eth0.100.rx_out_of_buffer')).toBe(true);
    expect(loss('iface.eth0.100.rx_bytes')).toBe(false);
    expect(loss('snmp.Udp.RcvbufErrors')).toBe(true);
  });
});

describe('escaping', () => {
  it('no host text can open a tag, close the data element or hide in bidi controls', () => {
    const hostile = '</script><!--<img src=x onerror=alert(1)>"\'&\u202e';
    expect(esc(hostile)).not.toMatch(/[<>"']/);
    expect(h(hostile)).toContain('\\u{202e}');
    const json = jsonForHtml({ host: hostile, line: '\u2028' });
    expect(json).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(json)).toEqual({ host: hostile, line: '\u2028' });
  });

  it('keeps the redactor’s markers byte for byte, so the leak scan reads them as markers', () => {
    const line = 'Authorization: Bearer <REDACTED:secret>';
    const scan = (text: string) => scanForLeaks([{ path: 'report.html', text }], []);
    // Escaped, the marker reads as a bearer token never redacted.
    expect(scan(line.replace('<', '&lt;'))).toEqual([{ path: 'report.html', category: 'secret' }]);
    for (const html of [h(line), attrs({ 'data-x': line }), jsonForHtml({ line })])
      expect(scan(html), html).toEqual([]);
    // In text, an empty element of the marker's name that the stylesheet shows.
    expect(h(`${line} </b>`)).toBe(
      'Authorization: Bearer <REDACTED:secret data-m="<REDACTED:secret>"></REDACTED:secret> &lt;/b&gt;',
    );
    // Only the marker's own shape: anything else after `<REDACTED:` is escaped.
    expect(esc('<REDACTED:x"><script>')).toBe('&lt;REDACTED:x&quot;&gt;&lt;script&gt;');
    expect(jsonForHtml('<REDACTED:ipv4></script>')).toBe('"<REDACTED:ipv4>\\u003c/script\\u003e"');
  });

  it('reads only own keys, and counters written as decimal strings', () => {
    const doc = JSON.parse('{"__proto__": {"x": 1}, "n": "18446744073709551615"}');
    expect(field(doc, 'constructor')).toBeUndefined();
    expect(field(field(doc, '__proto__'), 'x')).toBe(1);
    expect(num(field(doc, 'n'))).toBe(Number(18446744073709551615n));
    expect(num('1e400')).toBeUndefined();
    expect(num(Number.NaN)).toBeUndefined();
  });
});
