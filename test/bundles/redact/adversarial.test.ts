import { describe, expect, it, vi } from 'vitest';
import { azureFindings } from '../../../bundles/redact/detect-azure.js';
import { guidFindings } from '../../../bundles/redact/detect-guid.js';
import { homeFindings } from '../../../bundles/redact/detect-home.js';
import { dashedIPv4Findings, ipv4Findings } from '../../../bundles/redact/detect-ipv4.js';
import { ipv6Findings } from '../../../bundles/redact/detect-ipv6.js';
import { macFindings } from '../../../bundles/redact/detect-mac.js';
import { secretFindings } from '../../../bundles/redact/detect-secrets.js';
import { discoveredValues } from '../../../bundles/redact/discovered.js';
import {
  createRedactor,
  discoverFromEtcHosts,
  discoverFromImds,
  discoverFromResolvConf,
  scanForLeaks,
} from '../../../bundles/redact/index.js';
import { classifySensitive, normaliseSensitive } from '../../../bundles/redact/sensitive.js';
import { ADVERSARIAL, type AdversarialInput } from './adversarial-inputs.js';
import { SECRET_A } from './helpers.js';
import {
  BUDGET_MS_PER_MB,
  describeGrowth,
  LARGE,
  MAX_RATIO,
  measureGrowth,
  SMALL,
  timeAt,
  withinLimits,
} from './linearity.js';

// Each case times CPU work at two sizes, and again when noisy: on a loaded
// 2-core machine one case can take most of a minute, past the suite's default.
vi.setConfig({ testTimeout: 300_000 });

// No input may make redaction or the leak scan superlinear: a compromised host could otherwise
// stall the operator's `collect bundle`, and a crafted bundle `collect verify` (an 853-byte
// .tar.gz of `a-` x 300,000 once took 460 s). Every detector, the discovery helpers, the leak scan
// and the redactor are timed on every adversarial input at 64 KiB and 512 KiB.

// Redaction does per-value work the scan does not: every distinct value gets keyed digests, a
// token, map entries, and its spellings in two literal automata (the redactor's and the scan's).
// 512 KiB of distinct IPv6 addresses is 26,000 of them; on a loaded 2-core machine that took up
// to 4.8 s of CPU per MiB.
const REDACTION_BUDGET_MS_PER_MB = 10_000;

// What a compromised host's output goes through at bundle time: redaction, then the leak scan of
// the result with every value learned from it.
function redactAndScan(text: string): unknown {
  const r = createRedactor({ secret: SECRET_A });
  const out = r.redactText(text).text;
  return scanForLeaks([{ path: 'f', text: out }], r.sensitiveValues());
}

const TARGETS: [string, (text: string) => unknown, number][] = [
  ['secrets', secretFindings, BUDGET_MS_PER_MB],
  ['Azure ids, JSON fields, cloud names', (t) => azureFindings(t, true), BUDGET_MS_PER_MB],
  ['home directories', homeFindings, BUDGET_MS_PER_MB],
  ['IPv4, dotted and dashed', (t) => [ipv4Findings(t), dashedIPv4Findings(t)], BUDGET_MS_PER_MB],
  ['IPv6', ipv6Findings, BUDGET_MS_PER_MB],
  ['MAC', macFindings, BUDGET_MS_PER_MB],
  ['GUID', guidFindings, BUDGET_MS_PER_MB],
  [
    'discovery helpers',
    (t) => [
      discoverFromEtcHosts(t),
      discoverFromResolvConf(t),
      classifySensitive(t),
      normaliseSensitive({ category: 'ipv6', value: t }),
      discoveredValues({ fqdns: [t] }),
    ],
    BUDGET_MS_PER_MB,
  ],
  // `collect verify` on a crafted bundle.
  ['leak scan', (t) => scanForLeaks([{ path: 'f', text: t }], []), BUDGET_MS_PER_MB],
  [
    'redaction, then the leak scan with every learned value',
    redactAndScan,
    REDACTION_BUDGET_MS_PER_MB,
  ],
];

function failures(
  target: (text: string) => unknown,
  inputs: readonly AdversarialInput[],
  budget: number,
): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    const g = measureGrowth(target, input.make, budget);
    if (!withinLimits(g, budget)) out.push(describeGrowth(input.name, g));
    // SHOW_TIMINGS=1 prints every figure, to see the margins.
    else if (process.env['SHOW_TIMINGS']) console.log(describeGrowth(input.name, g));
  }
  return out;
}

describe(`linear time on adversarial input (${SMALL / 1024} KiB vs ${LARGE / 1024} KiB)`, () => {
  for (const [name, target, budget] of TARGETS)
    it(`${name}: at most x${MAX_RATIO} the time and ${budget} ms of CPU per MiB`, () => {
      expect(failures(target, ADVERSARIAL, budget)).toEqual([]);
    }, 600_000);

  // Keywords that nest (`aZ`, `aaZ`, ... 64 `a` then `Z`): every position of a run of `a` walks
  // into all of them and none matches (an alternation of them is quadratic in the run). Plus two
  // that match everywhere in some inputs.
  const keywords = [
    ...Array.from({ length: 64 }, (_, i) => `${'a'.repeat(i + 1)}Z`),
    'eyJ-',
    '-a-',
  ];
  const runsOfA = ADVERSARIAL.filter((i) => /"a[-._]"|word chars|own run|random/.test(i.name));

  it(`redaction with nested keywords: at most x${MAX_RATIO} the time`, () => {
    const target = (t: string) =>
      createRedactor({ secret: SECRET_A, discovered: { keywords } }).redactText(t);
    expect(runsOfA.length).toBeGreaterThan(4);
    expect(failures(target, runsOfA, REDACTION_BUDGET_MS_PER_MB)).toEqual([]);
  }, 600_000);
});

// Lists as long as a host cares to print: spreading one into a call's arguments overflows the
// stack, which would abort the bundle.
describe('huge lists', () => {
  const names = Array.from({ length: 300_000 }, (_, i) => `name${i}`);

  it('an /etc/hosts line or a search line with 300,000 names', () => {
    expect(discoverFromEtcHosts(`10.0.0.1 ${names.join(' ')}`).fqdns).toHaveLength(300_000);
    expect(discoverFromResolvConf(`search ${names.join(' ')}`).domains).toHaveLength(300_000);
  });

  it('IMDS with 300,000 tags', () => {
    const doc = { compute: { tagsList: names.map((value) => ({ name: 't', value })) } };
    expect(discoveredValues(discoverFromImds(doc))).toHaveLength(300_000);
    const tags = names.map((n) => `k:${n}`).join(';');
    expect(azureFindings(`{"tags": "${tags}"}`, true)).toHaveLength(300_000);
  });
});

// One token of 10 MiB. Regex loops that keep a backtrack entry per character or per repetition
// overflowed V8's stack (RangeError) somewhere between 4 and 8 MiB.
describe('huge tokens', () => {
  const size = 10 * 1024 * 1024;
  const tokens: [string, string][] = [
    ['a run of letters', 'a'.repeat(size)],
    ['a bearer token', `Bearer ${'a'.repeat(size)}`],
    ['a JSON value of escapes', `{"hostname": "${'\\b'.repeat(size / 2)}"}`],
    ['a quoted password of escapes', `password="${'\\a'.repeat(size / 2)}"`],
    [
      'an Azure id of 5 million segments',
      `/subscriptions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(11)}1${'/a'.repeat(size / 2)}`,
    ],
  ];
  for (const [name, text] of tokens)
    it(`${name}: detected and scanned without a stack overflow`, () => {
      expect(() => secretFindings(text)).not.toThrow();
      expect(() => azureFindings(text, true)).not.toThrow();
      expect(() => scanForLeaks([{ path: 'f', text }], [])).not.toThrow();
    }, 120_000);
});

describe('the timing harness', () => {
  // The PAIR regex before the fix: a lazy key tried from every `-` of a run.
  const QUADRATIC = /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|secret|sig))["']?[ \t]*[:=]/gi;

  it('fails a quadratic scan', () => {
    const g = timeAt(
      (t) => [...t.matchAll(QUADRATIC)],
      (n) => 'a-'.repeat(n / 2),
      { small: 4 * 1024, large: 32 * 1024 },
      3,
    );
    expect(g.ratio, describeGrowth('old PAIR regex', g)).toBeGreaterThan(MAX_RATIO);
  });
});
