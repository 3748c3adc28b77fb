import type { Command } from 'commander';
import type { HostOutcome } from '../../repro/mitigations/restore-hosts.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { terminalField as field } from '../terminal-text.js';
import { openTransport } from '../transport/open.js';
import { action, collect, examples, type GlobalOptions, openOptions } from './common.js';
import { printJson, printOut } from './print.js';

interface RestoreOpts {
  pair?: string[];
  node: string[];
  json?: boolean;
}

// `repro restore`: finishes what a comparison could not: runs the restore
// scripts left on the hosts (or this machine's copy of them) and verifies.
export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description(
      'restore and verify settings that an interrupted `repro compare` left changed on hosts',
    )
    .option('--pair <hosts...>', 'the two hosts of the comparison')
    .option('--node <host>', 'a host (repeatable)', collect, [])
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples(['repro restore --pair vmA vmB', 'repro restore --node azureuser@10.0.0.5 --json']),
    )
    .action(action(runRestore));
}

async function runRestore(o: RestoreOpts, cmd: Command): Promise<number> {
  const specs = [...(o.pair ?? []), ...o.node];
  if (!specs.length) cmd.error('error: give the hosts: --pair A B or --node X', { exitCode: 2 });
  const opening = openOptions(cmd.optsWithGlobals() as GlobalOptions);
  const { restoreHosts } = await import('../../repro/mitigations/restore-hosts.js');
  const outcomes = await restoreHosts(specs, (s) => openTransport(s, opening));
  if (o.json) printJson({ ok: outcomes.every(isOk), hosts: outcomes.map(jsonOf) });
  else printOut(outcomes.map(textOf).join(''));
  return exitCode(outcomes);
}

function isOk(h: HostOutcome): boolean {
  return 'report' in h && h.report.restored.every((r) => r.ok);
}

function exitCode(outcomes: HostOutcome[]): number {
  const err = outcomes.find((h) => 'error' in h);
  if (err && 'error' in err) return exitCodeFor(err.error.code);
  return outcomes.every(isOk) ? EXIT.OK : EXIT.RESTORE;
}

function jsonOf(h: HostOutcome) {
  if ('error' in h) return { host: h.host, ok: false, error: h.error.toJSON() };
  return {
    host: h.host,
    ok: isOk(h),
    restored: h.report.restored.map((r) => ({
      source: r.source,
      ok: r.ok,
      values: Object.fromEntries(r.values),
      ...(r.detail ? { detail: r.detail } : {}),
    })),
    guardLogs: h.report.guardLogs,
  };
}

// Everything here but the host as typed came from the host: one field each.
function textOf(h: HostOutcome): string {
  if ('error' in h) return `${field(h.host)}: could not restore: ${field(h.error.oneLine)}\n`;
  const r = h.report;
  const lines: string[] = [];
  for (const g of r.guardLogs)
    lines.push(
      `${field(h.host)}: the host's guard ran the restore script when dropkit's connection closed (${field(g.file)}): ${field(g.text.split('\n').join(', '))}`,
    );
  for (const x of r.restored) {
    const values = [...x.values].map(([k, v]) => `${k} = ${v}`).join(', ');
    lines.push(
      x.ok
        ? `${field(h.host)}: restored and verified (${field(x.source)}): ${field(values)}`
        : `${field(h.host)}: RESTORE FAILED (${field(x.source)}): ${field(x.detail ?? '')}`,
    );
  }
  if (!lines.length) lines.push(`${field(h.host)}: nothing to restore`);
  return `${lines.join('\n')}\n`;
}
