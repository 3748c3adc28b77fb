import type { DoctorReport } from '../doctor/doctor.js';
import { terminalField as field } from '../terminal-text.js';
import { table } from './table.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

// A plain aligned table: readable in a terminal, in a ticket, and in CI logs.
// Details and hints carry what the host printed (a distro name, a tool's
// version, an error): the table escapes its cells, the lines below their
// fields.
export function formatDoctor(report: DoctorReport): string {
  const rows: string[][] = [];
  const hints: string[] = [];
  for (const h of report.hosts) {
    for (const c of h.checks) {
      rows.push([h.host, c.id, MARK[c.status], c.detail]);
      if (c.hint && c.status !== 'ok')
        hints.push(`${field(h.host)} ${field(c.id)}: ${field(c.hint)}`);
    }
  }
  // HOST and CHECK at least 4 and 5 wide: the header's own width.
  const out = [table(['HOST', 'CHECK', 'STAT', 'DETAIL'], rows, 4)];
  if (hints.length) out.push('', ...hints.map((h) => `hint: ${h}`));
  const hosts = (list: typeof report.hosts) => list.map((h) => field(h.host)).join(', ');
  const bad = report.hosts.filter((h) => !h.ok);
  out.push(
    '',
    bad.length
      ? `NOT READY for a ${report.purpose === 'repro' ? 'reproduction' : 'bundle'}: ${hosts(bad)}`
      : `ready for a ${report.purpose === 'repro' ? 'reproduction' : 'bundle'}: ${hosts(report.hosts)}`,
  );
  return `${out.join('\n')}\n`;
}
