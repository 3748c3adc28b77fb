import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTarGz } from '../../bundles/archive.js';
import { mdTable } from '../../bundles/md-table.js';
import { nodeBundleParts } from '../../bundles/node-bundle.js';
import { resultsSection } from '../../bundles/repro-results.js';
import { renderSummaryMd } from '../../bundles/summary-md.js';
import { readSummary } from '../../bundles/verify.js';
import { terminalText } from '../../kit/terminal-text.js';
import {
  CLEAR,
  COUNTER,
  DRIVER,
  FORGE,
  forgedLines,
  hostileSnapshot,
  IFACE,
  OSC52,
  RAW_CONTROL,
} from '../kit/hostile-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-summary-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectClean(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  for (const b of [0x1b, 0x07, 0x9b, 0x0d]) expect(text).not.toContain(String.fromCharCode(b));
  expect(forgedLines(text)).toEqual([]);
}

function parts() {
  return nodeBundleParts(
    [
      { spec: 'vmA', taken: { snapshot: hostileSnapshot({ rxDropped: 50_000n }), raw: [] } },
      { spec: 'vmB', error: `ssh: connect: ${OSC52}${FORGE}` },
    ],
    { createdAt: new Date('2026-11-27T14:15:02Z'), logs: [], redacted: false, note: 'batch' },
  );
}

describe('summary.md is safe to cat', () => {
  it('escapes the names a host reported, in tables, headings and lists', () => {
    const p = parts();
    const md = p.files.find((f) => f.path === 'summary.md')!.bytes.toString('utf8');
    expectClean(md);
    expect(md).toContain('## Host node-7\\e[2J\\e[H\\x0dOK: all good\\x0aOK: forged');
    expect(md).toContain('| eth0\\e]52;c;');
    expect(md).toContain('mlx5_core\\e[2J\\e[H');
    expect(md).toContain('ethtool rx_drops\\e]8;;');
    expect(md).toContain('ssh: connect: \\e]52;c;');
    expect(md).toContain('`net.core.netdev_max_backlog = 1000\\e[2J\\e[H`');
    // Every table row is still one line.
    for (const l of md.split('\n').filter((x) => x.startsWith('|')))
      expect(l.endsWith('|')).toBe(true);
    // Findings were rendered (the hostile interface dropped packets).
    expect(p.summary.findings.length).toBeGreaterThan(0);
  });

  it('summary.json keeps the values exactly', () => {
    const json = parts()
      .files.find((f) => f.path === 'summary.json')!
      .bytes.toString('utf8');
    const s = JSON.parse(json);
    expect(s.hosts[0].nics[0].name).toBe(IFACE);
    expect(s.hosts[0].nics[0].driver).toBe(DRIVER);
    expect(s.hosts[0].loss.map((l: { counter: string }) => l.counter)).toContain(COUNTER);
  });

  it("guards the reproduction's own lines too", () => {
    const p = parts();
    const md = renderSummaryMd(p.summary, [
      '',
      `Reproduction: vmA → vmB. Stopped early: ${CLEAR}${FORGE}`,
      ...resultsSection([{ phase: `burst${OSC52}`, error: `iperf3: ${FORGE}` }]),
    ]);
    expectClean(md);
    expect(md).toContain('Stopped early: \\e[2J\\e[H\\x0dOK: all good\\x0aOK: forged');
    expect(md).toContain('| burst\\e]52;c;');
  });

  it('mdTable keeps a row on one line', () => {
    const rows = mdTable(['a', 'b'], [[`x|${FORGE}`, 'y\tz']]);
    expect(rows[2]).toBe('| x\\|\\x0dOK: all good\\x0aOK: forged | y\\x09z |');
  });
});

describe('collect show', () => {
  it("prints a stranger's summary.md escaped, invalid UTF-8 as U+FFFD", async () => {
    const file = join(dir, 'hostile.tar.gz');
    const md = Buffer.concat([
      Buffer.from(`# dropkit node evidence\n\nhost ${OSC52}${CLEAR} \u202eevil\n`),
      Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x0a]), // raw 8-bit CSI, invalid UTF-8
      Buffer.from(`| eth0${FORGE} |\n\tindented\n`),
    ]);
    await writeTarGz(file, 'b', [{ path: 'summary.md', bytes: md }], new Date());
    const shown = terminalText(await readSummary(file));
    // Text, not a field: only its own newlines and tabs are left.
    expect(shown.replace(/[\n\t]/g, '')).not.toMatch(RAW_CONTROL);
    expect(shown).toContain('host \\e]52;c;');
    expect(shown).toContain('\\u{202e}evil');
    expect(shown).toContain('\ufffd31m\ufffd\ufffd\n');
    expect(shown).toContain('| eth0\\x0dOK: all good\nOK: forged |');
    expect(shown).toContain('\n\tindented\n');
  });
});
