import fc from 'fast-check';

// Inputs built to make a backtracking regex or a naive scanner do work that grows faster than
// the text: runs that every start position rescans, prefixes of each pattern repeated without
// their ending, overlapping quantifiers over one long run, and many distinct values (every one
// learned, tokenised and searched for). Each is a function of the size, so the same shape can be
// timed at two sizes.
export interface AdversarialInput {
  readonly name: string;
  readonly make: (size: number) => string;
}

// `unit` repeated to `size` characters, the last copy cut short.
function tiled(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function repeated(unit: string): AdversarialInput {
  return { name: JSON.stringify(unit), make: (n) => tiled(unit, n) };
}

// `head`, then `fill` to the size, then `tail`: one long run with something at its end.
function run(name: string, head: string, fill: string, tail = ''): AdversarialInput {
  return { name, make: (n) => head + tiled(fill, n - head.length - tail.length) + tail };
}

// A new value per unit, until the size is reached.
function distinct(name: string, unit: (i: number) => string): AdversarialInput {
  return {
    name,
    make: (n) => {
      const parts: string[] = [];
      let length = 0;
      for (let i = 1; length < n; i += 1) {
        const u = unit(i);
        parts.push(u);
        length += u.length;
      }
      return parts.join('').slice(0, n);
    },
  };
}

const hex2 = (i: number, shift: number): string =>
  ((i >> shift) & 255).toString(16).padStart(2, '0');

// Separators and pattern prefixes, each repeated with nothing that completes it.
const UNITS = [
  'a-',
  'a.',
  'a_',
  '1.',
  '1-',
  '::',
  ':',
  'ab:',
  '=',
  '@',
  '%',
  '#',
  '\\"',
  'eyJ-',
  'eyJa.',
  'Bearer ',
  'Authorization: ',
  'password=',
  'password:"',
  'token: ',
  'sig-',
  'a://a:',
  'https://u:',
  '/home/',
  '-----BEGIN ',
  '-----BEGIN PRIVATE KEY-----\n',
  '\\"a":"',
  '"hostname": "',
  '/subscriptions/00000000-0000-0000-0000-000000000001/',
  'ip-10-',
  'aks-a-12345678-',
  'a.blob.core.windows.',
  'version 1.',
  '10.1.2.3 ',
  '1.2.3.4-',
  'fe80::1%a-',
  '0000:',
  '12-34-',
  '1234.',
  'abcdef12-',
  'QUJD',
  ' ',
];

const RUNS: AdversarialInput[] = [
  run('word chars then @', '', 'a', '@'),
  run('blank run inside an Authorization value', 'Authorization: x', ' ', 'y'),
  run('blank run after search, then a lone CR', 'search', ' ', '\rx'),
  run('blank run after search, then a lone CR ending the line', 'search', ' ', '\r\r\n'),
  run('# run in /etc/hosts before a lone CR', '1.2.3.4 a ', '#', '\rx'),
  run('% run before a line break', 'fe80::1', '%', '\nx'),
  run('PEM block without END', '-----BEGIN RSA PRIVATE KEY-----\n', 'QUJD'),
  run('PEM header run of key words', '-----BEGIN ', 'PRIVATE KEY '),
  run('base64 after Bearer', 'Bearer ', 'QUJD', '!'),
  run('JWT head without dots', 'eyJ', 'a'),
  run('JSON string without its closing quote', '"hostname": "', 'a'),
  run('IMDS tags, one long list', '{"tags": "', 'k:v;', '"}'),
  // A learned secret as long as the text, followed by a run of its own first letter.
  {
    name: 'long learned secret over its own run',
    make: (n) => `password=${'a'.repeat(n / 2 - 10)}\n${'a'.repeat(n / 2)}`,
  },
];

const DISTINCT = [
  distinct('distinct IPv4', (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} `),
  distinct('distinct MACs', (i) => `00:0d:3a:${hex2(i, 16)}:${hex2(i, 8)}:${hex2(i, 0)} `),
  distinct('distinct IPv6', (i) => `2603:1030:${i.toString(16)}::17 `),
  distinct(
    'distinct GUIDs',
    (i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000001 `,
  ),
  distinct('distinct home dirs', (i) => `/home/u${i.toString(36)} `),
  distinct('distinct secrets', (i) => `password=pw${i.toString(36).padStart(6, '0')}\n`),
  distinct('distinct JSON host names', (i) => `{"hostname": "vm${i.toString(36)}"}\n`),
];

// The characters the patterns care about, for random text.
const ALPHABET = [
  ...'aeyJ0fF1-._:=/@%#"\'\\ \t\r\n',
  'eyJ',
  '::',
  '://',
  'password',
  'sig',
  '-----',
];

// Random units over that alphabet (fixed seed, so a failure reproduces), repeated to the size.
const RANDOM_UNITS = fc
  .sample(fc.array(fc.constantFrom(...ALPHABET), { minLength: 2, maxLength: 24 }), {
    seed: 20240607,
    numRuns: 6,
  })
  .map((parts) => repeated(parts.join('')));

// And one text that never repeats: a seeded generator over the same alphabet.
const RANDOM_STREAM: AdversarialInput = {
  name: 'random stream over the pattern alphabet',
  make: (n) => {
    let state = 0x2545f491;
    const parts: string[] = [];
    let length = 0;
    while (length < n) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const part = ALPHABET[(state >>> 0) % ALPHABET.length]!;
      parts.push(part);
      length += part.length;
    }
    return parts.join('').slice(0, n);
  },
};

export const ADVERSARIAL: readonly AdversarialInput[] = [
  ...UNITS.map(repeated),
  ...RUNS,
  ...DISTINCT,
  ...RANDOM_UNITS,
  RANDOM_STREAM,
];
