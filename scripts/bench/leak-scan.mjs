// Target (security review): the leak scan runs in time linear in what it reads, whatever that
// holds. An 853-byte .tar.gz of `a-` x 300,000 once made `collect verify` take 460 s. Prints
// the scan's throughput on a realistic bundle (the real captures of test/fixtures, redacted, then
// scanned with every value the redactor learned, as `collect bundle` does) and on adversarial
// texts scanned as `collect verify` scans a crafted bundle. test/bundles/redact/adversarial.test.ts
// asserts the linearity; this prints the figures.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedactor, scanForLeaks } from '../../dist/bundles/redact/index.js';
import { median } from './lib.mjs';

const MIB = 1024 * 1024;
const RUNS = 5;

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function msOf(run) {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

function throughput(name, bytes, run) {
  run(); // warm-up
  const ms = median(Array.from({ length: RUNS }, () => msOf(run)));
  console.log(
    `${name}: ${(bytes / MIB / (ms / 1000)).toFixed(1)} MB/s (${(bytes / MIB).toFixed(1)} MiB in ${ms.toFixed(0)} ms, median of ${RUNS})`,
  );
}

// About 4 MiB of real captures (ethtool, ip link, iperf3 JSON, /proc files), as bundle files.
// Each copy gets a first line of its own: the redactor reuses the findings of a text it has seen.
const captures = filesUnder('test/fixtures').map((path) => ({
  path,
  text: readFileSync(path, 'latin1'),
}));
const captureBytes = captures.reduce((n, f) => n + f.text.length, 0);
const copies = Math.max(1, Math.round((4 * MIB) / captureBytes));
const bundle = Array.from({ length: copies }, (_, i) =>
  captures.map((f) => ({ path: `copy${i}/${f.path}`, text: `# copy ${i}\n${f.text}` })),
).flat();
const bundleBytes = bundle.reduce((n, f) => n + f.text.length, 0);

let redactor;
let redacted = [];
throughput('redaction of a bundle of real captures', bundleBytes, () => {
  redactor = createRedactor({ secret: Buffer.alloc(32, 7), discovered: { hostnames: ['vmA'] } });
  redacted = redactor.redactFiles(bundle).files;
});
const known = redactor.sensitiveValues();
throughput(`leak scan of that bundle (${known.length} known values)`, bundleBytes, () => {
  const leaks = scanForLeaks(redacted, known);
  if (leaks.length) throw new Error(`the redacted bundle leaks: ${JSON.stringify(leaks)}`);
});

// 4 MiB each, the shapes that made the old detectors backtrack: runs every start position
// rescanned, prefixes repeated without their ending, a line of addresses, a learned secret over
// a run of its own letter.
const SIZE = 4 * MIB;
const repeat = (unit) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
const adversarial = [
  ['a- repeated', repeat('a-')],
  ['a. repeated', repeat('a.')],
  ['eyJ- repeated', repeat('eyJ-')],
  ['token: repeated', repeat('token: ')],
  ['-----BEGIN repeated', repeat('-----BEGIN ')],
  ['one line of addresses', repeat('10.1.2.3 ')],
  ['blank run in an Authorization value', `Authorization: x${' '.repeat(SIZE - 17)}y`],
  [
    'long secret, then a run of its letter',
    `password=${'a'.repeat(SIZE / 2 - 10)}\n${'a'.repeat(SIZE / 2)}`,
  ],
];
for (const [name, text] of adversarial)
  throughput(`leak scan, ${name}`, text.length, () => scanForLeaks([{ path: 'f', text }], []));
{
  const [name, text] = adversarial[adversarial.length - 1];
  throughput(`redaction and leak scan, ${name}`, text.length, () => {
    const r = createRedactor({ secret: Buffer.alloc(32, 7) });
    scanForLeaks([{ path: 'f', text: r.redactText(text).text }], r.sensitiveValues());
  });
}
