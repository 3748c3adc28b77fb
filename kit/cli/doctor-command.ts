import type { Purpose } from '../doctor/checks.js';
import { type DoctorReport, diagnose, failedConnection, summarize } from '../doctor/doctor.js';
import { EXIT } from '../exit-codes.js';
import { openAll } from '../transport/open.js';
import { type GlobalOptions, interrupt, openOptions, printJson, printOut } from './common.js';
import { formatDoctor } from './format-doctor.js';

// Connection setup and checks run in parallel across hosts.
export async function doctorReport(
  specs: string[],
  purpose: Purpose,
  g: GlobalOptions,
): Promise<DoctorReport> {
  const opened = await openAll(specs, openOptions(g));
  try {
    const hosts = await Promise.all(
      opened.map((o) =>
        'transport' in o
          ? diagnose(o.transport, purpose, interrupt.signal)
          : Promise.resolve(failedConnection(o.spec, o.error)),
      ),
    );
    return summarize(purpose, hosts);
  } finally {
    await Promise.all(opened.map((o) => ('transport' in o ? o.transport.close() : undefined)));
  }
}

export async function runDoctor(
  specs: string[],
  purpose: Purpose,
  g: GlobalOptions,
  json: boolean,
): Promise<number> {
  const report = await doctorReport(specs, purpose, g);
  if (json) printJson(report);
  else printOut(formatDoctor(report));
  if (report.ok) return EXIT.OK;
  const connectionOnly = report.hosts.every((h) => h.ok || h.error);
  return connectionOnly ? EXIT.CONNECTION : EXIT.PREFLIGHT;
}
