import type { DoctorReport } from '../doctor/doctor.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

// A plain aligned table: readable in a terminal, in a ticket, and in CI logs.
export function formatDoctor(report: DoctorReport): string {
  const rows: string[][] = [];
  const hints: string[] = [];
  for (const h of report.hosts) {
    for (const c of h.checks) {
      rows.push([h.host, c.id, MARK[c.status], c.detail]);
      if (c.hint && c.status !== 'ok') hints.push(`${h.host} ${c.id}: ${c.hint}`);
    }
  }
  const w0 = Math.max(4, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(5, ...rows.map((r) => r[1]!.length));
  const line = (r: string[]) => `${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}  ${r[3]}`;
  const out = [line(['HOST', 'CHECK', 'STAT', 'DETAIL']), ...rows.map(line)];
  if (hints.length) out.push('', ...hints.map((h) => `hint: ${h}`));
  const bad = report.hosts.filter((h) => !h.ok).map((h) => h.host);
  out.push(
    '',
    bad.length
      ? `NOT READY for a ${report.purpose === 'repro' ? 'reproduction' : 'bundle'}: ${bad.join(', ')}`
      : `ready for a ${report.purpose === 'repro' ? 'reproduction' : 'bundle'}: ${report.hosts.map((h) => h.host).join(', ')}`,
  );
  return `${out.join('\n')}\n`;
}
