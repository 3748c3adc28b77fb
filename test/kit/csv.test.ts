import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../kit/csv.js';
import { seriesCsv } from '../../repro/run/series.js';

describe('csv (RFC 4180)', () => {
  it('quotes a field with a comma, a quote or a line break, and doubles its quotes', () => {
    expect(csvField('eth0.rx_dropped')).toBe('eth0.rx_dropped');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(12n)).toBe('12');
    expect(csvLine(['1.000', 'vm,B', 'k', 3])).toBe('1.000,"vm,B",k,3');
  });

  it('an interface named with a comma and a quote keeps series.csv at six columns', () => {
    const csv = seriesCsv([{ host: 'vmB', key: 'e,"0.rx_dropped', points: [[1, 2]] }] as never);
    expect(csv).toBe(
      't_ms,time,host,role,key,value\n1.000,1970-01-01T00:00:00.001Z,vmB,,"e,""0.rx_dropped",2\n',
    );
  });
});
