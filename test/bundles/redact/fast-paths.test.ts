import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4Findings, isVersionContext, KeyLetters } from '../../../bundles/redact/detect-ipv4.js';
import { holdsAddressRun, ipv6Matches } from '../../../bundles/redact/detect-ipv6.js';
import { holdsMacWord, macMatches } from '../../../bundles/redact/detect-mac.js';
import { type Finding, PRIORITY, resolveOverlaps } from '../../../bundles/redact/finding.js';
import { ipv4ToText, isKeptIPv4, parseIPv4 } from '../../../bundles/redact/ipv4.js';
import { ipv6Plan, parseIPv6 } from '../../../bundles/redact/ipv6.js';
import { LeakScanner, scanForLeaks } from '../../../bundles/redact/leak-scan.js';
import { type MacStyle, macHex, parseMac, renderMac } from '../../../bundles/redact/mac.js';
import { Pseudonymizer } from '../../../bundles/redact/pseudonymizer.js';
import { createRedactor } from '../../../bundles/redact/redactor.js';
import { SECRET_A } from './helpers.js';

// The fast paths replaced simpler code that is kept here as the reference: each must give
// exactly what that code gave, on random input over the characters that matter.

const COLON = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,19}$/;
const DASH = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?:(?:-[0-9A-Fa-f]{2}){2})?$/;
const DOT = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/;
const BARE = /^[0-9A-Fa-f]{12}$/;

function referenceParseMac(text: string) {
  let style: MacStyle;
  if (COLON.test(text)) style = 'colon';
  else if (DASH.test(text)) style = 'dash';
  else if (DOT.test(text)) style = 'dot';
  else if (BARE.test(text)) style = 'bare';
  else return undefined;
  const hex = text.replace(/[:.-]/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return { bytes, style, upper: /[A-F]/.test(text) };
}

function referenceRenderMac(bytes: readonly number[], style: MacStyle, upper: boolean): string {
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  const pairs = hex.match(/../g) ?? [];
  let out: string;
  if (style === 'colon') out = pairs.join(':');
  else if (style === 'dash') out = pairs.join('-');
  else if (style === 'dot') out = `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8, 12)}`;
  else out = hex;
  return upper ? out.toUpperCase() : out;
}

// The greedy selection over the whole text, as it was before findings were grouped.
function referenceResolve(findings: readonly Finding[], textLength: number): Finding[] {
  const ranked = [...findings]
    .filter((f) => f.end > f.start)
    .sort(
      (a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || a.start - b.start,
    );
  const taken = new Uint8Array(textLength);
  const accepted: Finding[] = [];
  for (const f of ranked) {
    let free = true;
    for (let i = f.start; i < f.end && free; i += 1) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, f.start, f.end);
    accepted.push(f);
  }
  return accepted.sort((a, b) => a.start - b.start);
}

const macText = (() => {
  const hex = fc.constantFrom(...'0aF9cE');
  const sep = fc.constantFrom(':', '-', '.', 'x');
  return fc.oneof(
    // Well-formed shapes, maybe with one character changed.
    fc
      .tuple(
        fc.integer({ min: 4, max: 21 }),
        sep,
        fc.array(fc.tuple(hex, hex), { minLength: 21, maxLength: 21 }),
      )
      .map(([n, s, pairs]) =>
        pairs
          .slice(0, n)
          .map(([a, b]) => a + b)
          .join(s),
      ),
    fc.array(fc.oneof(hex, sep), { minLength: 10, maxLength: 16 }).map((a) => a.join('')),
  );
})();

describe('fast paths give what the reference code gave', () => {
  it('parseMac, macHex and renderMac', () => {
    fc.assert(
      fc.property(macText, (text) => {
        const p = parseMac(text);
        expect(p).toEqual(referenceParseMac(text));
        if (p === undefined) return;
        expect(macHex(p.bytes)).toBe(p.bytes.map((b) => b.toString(16).padStart(2, '0')).join(''));
        for (const style of ['colon', 'dash', 'dot', 'bare'] as const)
          for (const upper of [false, true])
            expect(renderMac(p.bytes, style, upper)).toBe(
              referenceRenderMac(p.bytes, style, upper),
            );
      }),
      { numRuns: 2000 },
    );
  });

  it('parseIPv6 refuses wrong group counts before parsing, and nothing else', () => {
    const part = fc.constantFrom('0', 'fe80', 'A', '12', '1.2.3.4', '10.0.0.1', '');
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 10 }), (parts) => {
        const text = parts.join(':');
        const p = parseIPv6(text);
        // Whatever parses has 8 groups: a colon run of the right length, or `::`.
        if (p !== undefined) expect(p.groups).toHaveLength(8);
        // A full 8-group spelling is still accepted.
        if (
          !text.includes('::') &&
          parts.length === 8 &&
          parts.every((x) => /^[0-9a-f]+$/i.test(x))
        )
          expect(p).toBeDefined();
      }),
      { numRuns: 2000 },
    );
    expect(parseIPv6('12:00:01')).toBeUndefined();
    expect(parseIPv6('00:0d:3a:12:34:56')).toBeUndefined();
    expect(parseIPv6('::ffff:10.1.2.3')?.v4Text).toBe('10.1.2.3');
    expect(parseIPv6('0:0:0:0:0:ffff:10.1.2.3')?.v4Text).toBe('10.1.2.3');
    expect(parseIPv6('2603:1030:40c:a:0:0:0:17')?.groups).toHaveLength(8);
  });

  it('resolveOverlaps: grouping overlaps gives the greedy choice over the whole text', () => {
    const finding = fc
      .tuple(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(...Object.values(PRIORITY)),
      )
      .map(
        ([start, length, priority]): Finding => ({
          start,
          end: Math.min(start + length, 64),
          category: 'ipv4',
          priority,
          replace: () => '',
        }),
      );
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 40 }), (findings) => {
        expect(resolveOverlaps(findings, 64)).toEqual(referenceResolve(findings, 64));
      }),
      { numRuns: 2000 },
    );
    // A long chain of overlapping findings (the large-group path).
    const chain = Array.from(
      { length: 500 },
      (_, i): Finding => ({
        start: i * 3,
        end: i * 3 + 4 + (i % 3),
        category: 'mac',
        priority: PRIORITY.pattern,
        replace: () => '',
      }),
    );
    expect(resolveOverlaps(chain, 2000)).toEqual(referenceResolve(chain, 2000));
  });

  it('the pseudonymizer gives every spelling the same replacement, first time or not', () => {
    const calls: Array<[string, (p: Pseudonymizer) => string]> = [
      ['10.1.2.3', (p) => p.ipv4('10.1.2.3')],
      ['10.1.2.0/24', (p) => p.ipv4('10.1.2.0/24')],
      ['00:0d:3a:12:34:56', (p) => p.mac('00:0d:3a:12:34:56')],
      ['000D.3A12.3456', (p) => p.mac('000D.3A12.3456')],
      ['2603:1030:40c:a::17', (p) => p.ipv6('2603:1030:40c:a::17')],
      ['fe80::20d:3aff:fe12:3456', (p) => p.ipv6('fe80::20d:3aff:fe12:3456')],
      ['::ffff:10.1.2.3', (p) => p.ipv6('::ffff:10.1.2.3')],
      ['web0001', (p) => p.label('hostname', 'web0001')],
      [
        'aks-nodepool1-31754206-vmss000001',
        (p) => p.label('hostname', 'aks-nodepool1-31754206-vmss000001'),
      ],
    ];
    const used = new Pseudonymizer(SECRET_A);
    const first = calls.map(([, call]) => call(used));
    // Asked again, in reverse order, and by a pseudonymizer that never saw the others.
    for (const [i, [original, call]] of [...calls.entries()].reverse()) {
      expect(call(used), original).toBe(first[i]);
      expect(call(new Pseudonymizer(SECRET_A)), original).toBe(first[i]);
      expect(first[i], original).not.toBe(original);
    }
    // The map holds each original once, however often it was replaced.
    expect(used.mapping().filter((e) => e.original === 'web0001')).toHaveLength(1);
  });

  it('a known value repeated in any case gets what a redactor seeing it once gives', () => {
    const discovered = {
      hostnames: ['web0001.corp.example', 'Db7'],
      users: ['alice', 'Bob'],
      keywords: ['projectx'],
      extra: [
        { category: 'ipv4' as const, value: '10.1.2.3' },
        { category: 'mac' as const, value: '00:0d:3a:12:34:56' },
        { category: 'ipv6' as const, value: '2603:1030:40c:a::17' },
      ],
    };
    const word = fc.constantFrom(
      'web0001',
      'WEB0001',
      'Web0001',
      'corp.example',
      'CORP.example',
      'db7',
      'DB7',
      'alice',
      'Alice',
      'Bob',
      'bob',
      'projectx',
      'ProjectX',
      '10.1.2.3',
      '10-1-2-3',
      '00:0d:3a:12:34:56',
      '00:0D:3A:12:34:56',
      '000d3a123456',
      '000D.3A12.3456',
      '2603:1030:40c:a::17',
      '2603:1030:40C:A::17',
      ' ',
      '  ',
      '\n',
      '/',
    );
    const text = fc.array(word, { maxLength: 30 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (texts) => {
        const used = createRedactor({ secret: SECRET_A, discovered });
        for (const t of texts) {
          const fresh = createRedactor({ secret: SECRET_A, discovered });
          expect(used.redactText(t)).toEqual(fresh.redactText(t));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('LeakScanner finds what scanForLeaks finds, and a redactor hands over its own matcher', () => {
    const text =
      'host web0001 at 10.1.2.3 (ip-10-1-2-3), mac 00:0D:3A:12:34:56, password=hunter22\n' +
      'alice logged in from 2603:1030:40c:a::17\n';
    const r = createRedactor({
      secret: SECRET_A,
      discovered: { hostnames: ['web0001'], users: ['alice'] },
    });
    r.observe(text);
    const files = [
      { path: 'a', text },
      { path: 'b', text: r.redactText(text).text },
    ];
    const expected = scanForLeaks(files, r.sensitiveValues());
    expect(expected.filter((l) => l.path === 'b')).toEqual([]);
    expect(expected.map((l) => l.category).sort()).toEqual(
      ['hostname', 'ipv4', 'ipv6', 'mac', 'secret', 'user'].sort(),
    );
    for (const scanner of [new LeakScanner(r.sensitiveValues()), r.leakScanner()]) {
      for (const f of files) scanner.scan(f);
      expect(scanner.leaks()).toEqual(expected);
    }
    // With a category kept, the scanner is built from the values that are not.
    const kept = createRedactor({
      secret: SECRET_A,
      discovered: { hostnames: ['web0001'] },
      keep: ['hostname'],
    });
    const scanner = kept.leakScanner();
    scanner.scan({ path: 'a', text: 'web0001' });
    expect(scanner.leaks()).toEqual([]);
  });

  it('parseIPv4 reads what its regex read', () => {
    const QUAD = /^(\d{1,3})([.-])(\d{1,3})\2(\d{1,3})\2(\d{1,3})$/;
    const reference = (text: string) => {
      const m = QUAD.exec(text);
      if (!m) return undefined;
      const o = [m[1], m[3], m[4], m[5]].map(Number);
      if (o.some((x) => x > 255)) return undefined;
      return {
        value: ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!,
        separator: m[2],
      };
    };
    const text = fc
      .array(
        fc.constantFrom('0', '1', '9', '25', '255', '256', '010', '1234', '.', '-', 'a', ' '),
        {
          maxLength: 9,
        },
      )
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(parseIPv4(t)).toEqual(reference(t));
      }),
      { numRuns: 5000 },
    );
  });

  // Texts over the characters the address patterns turn on.
  const addressText = fc
    .array(
      fc.constantFrom(
        ...'0123456789abcdefABCDEF:.-%_ \n/+~vVgx='.split(''),
        '::',
        '10.1.2.3',
        'fe80::1',
        '00:0d:3a:12:34:56',
        '0012.3456.789a',
        'version ',
        'fw_ver=',
        '::ffff:',
        '%eth0',
      ),
      { maxLength: 80 },
    )
    .map((a) => a.join(''));

  it('ipv6Matches tries the candidate pattern where matchAll would have matched it', () => {
    const CANDIDATE =
      /(?<![0-9A-Za-z_.])(?<![0-9A-Fa-f:]:)((?:[0-9A-Fa-f]{0,4}:){2,8}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?)(%[0-9A-Za-z_.@-]+)?(?![0-9A-Za-z_:])/g;
    const reference = (text: string) => {
      const out: Array<[number, string]> = [];
      for (const m of text.matchAll(CANDIDATE)) {
        const raw = m[1]!;
        if (/^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7}$/.test(raw)) continue;
        const port = /:\d{0,5}$/.exec(raw);
        const withoutPort =
          port && parseIPv6(raw.slice(0, port.index)) ? raw.slice(0, port.index) : undefined;
        const whole = parseIPv6(raw) ? raw : undefined;
        const keptWithoutPort =
          withoutPort !== undefined &&
          raw.slice(0, 2) === '::' &&
          ipv6Plan(parseIPv6(withoutPort)!.groups) === 'keep';
        const chosen = keptWithoutPort ? withoutPort : (whole ?? withoutPort);
        if (chosen !== undefined) out.push([m.index, chosen]);
      }
      return out;
    };
    fc.assert(
      fc.property(addressText, (t) => {
        expect([...ipv6Matches(t)].map((m) => [m.start, m.text])).toEqual(reference(t));
      }),
      { numRuns: 4000 },
    );
  });

  it('ipv4Findings and macMatches find what their patterns found unguarded', () => {
    const QUAD =
      /(?<![0-9A-Za-z])(?<!\d\.)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9A-Za-z]|\.\d)/g;
    const KEY = /(?<![A-Za-z])(?:version|ver|firmware|fw)(?![A-Za-z])[\w-]*\s*[:=]?\s*["']?[vV]?$/i;
    const version = (text: string, start: number, end: number) => {
      if (/^(?:-\d*[A-Za-z]|[+~])/.test(text.slice(end, end + 24))) return true;
      const before = text.slice(Math.max(0, start - 48), start);
      return KEY.test(before.slice(before.lastIndexOf('\n') + 1));
    };
    const MACS = [
      /(?<![0-9A-Za-z]|[0-9A-Fa-f]:)[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5,19}(?![0-9A-Za-z]|:[0-9A-Fa-f])/g,
      /(?<![0-9A-Za-z]|[0-9A-Fa-f]-)[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?:(?:-[0-9A-Fa-f]{2}){2})?(?![0-9A-Za-z]|-[0-9A-Fa-f])/g,
      /(?<![0-9A-Za-z]|[0-9A-Za-z]\.)[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])/g,
    ];
    fc.assert(
      fc.property(addressText, (t) => {
        const expected = [...t.matchAll(QUAD)]
          .filter((m) => !version(t, m.index, m.index + m[0].length))
          .flatMap((m) => {
            const p = parseIPv4(m[0]);
            if (p === undefined || isKeptIPv4(p.value)) return [];
            return [[m.index, ipv4ToText(p.value)]];
          });
        expect(ipv4Findings(t).map((f) => [f.start, f.learn![0]!.value])).toEqual(expected);
        const macs = MACS.flatMap((re) => [...t.matchAll(re)].map((m) => [m.index, m[0]]));
        expect([...macMatches(t)].map((m) => [m.start, m.text])).toEqual(
          macs.filter(([, m]) => parseMac(m as string) !== undefined),
        );
      }),
      { numRuns: 4000 },
    );
  });

  it('the prefilters say what their regexes said, and the shared key letters what a fresh one does', () => {
    const SIX_COLONS = /:(?:[0-9A-Fa-f]{0,4}:){5}/;
    const WORDS = [
      /:[0-9A-Fa-f]{2}:/,
      /-[0-9A-Fa-f]{2}-/,
      /\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])/,
    ];
    const QUAD = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
    fc.assert(
      fc.property(addressText, (t) => {
        expect(holdsAddressRun(t)).toBe(t.includes('::') || SIX_COLONS.test(t));
        for (const [k, re] of WORDS.entries()) expect(holdsMacWord(k, t)).toBe(re.test(t));
        const letters = new KeyLetters(t);
        for (const m of t.matchAll(QUAD)) {
          const end = m.index + m[0].length;
          expect(isVersionContext(t, m.index, end, letters)).toBe(
            isVersionContext(t, m.index, end),
          );
        }
      }),
      { numRuns: 4000 },
    );
  });
});
