import type { HostOutcome } from '../../repro/mitigate/apply-hosts.js';
import type { HostChanges } from '../../repro/mitigate/host-apply.js';
import type { PlannedFixes } from '../../repro/mitigate/plan.js';
import type { PlatformOutput } from '../../repro/persist/types.js';
import { asDropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { terminalField as field } from '../terminal-text.js';
import type { Transport } from '../transport/types.js';
import {
  type GlobalOptions,
  interrupt,
  openOptions,
  printErr,
  printJson,
  printOut,
} from './common.js';
import type { MitigateOptions } from './mitigate-command.js';

// `repro mitigate --apply` / `--rollback`: each host in turn, over its own
// connection. One host's failure is reported and the others go on; the exit
// code is the worst.

type Step = (t: Transport) => Promise<HostOutcome>;

async function onHosts(opts: MitigateOptions, g: GlobalOptions, step: Step): Promise<number> {
  const { openAll, openTransport } = await import('../transport/open.js');
  const opened = await openAll(opts.node, (spec) => openTransport(spec, openOptions(g)));
  const results: Array<
    HostOutcome | { host: string; status: 'failed'; error: ReturnType<typeof asDropkitError> }
  > = [];
  try {
    for (const o of opened) {
      if (!('transport' in o)) {
        results.push({
          host: o.spec,
          status: 'failed',
          error: asDropkitError(o.error, { code: 'CONNECT_FAILED', host: o.spec }),
        });
        continue;
      }
      try {
        results.push(await step(o.transport));
      } catch (e) {
        results.push({
          host: o.spec,
          status: 'failed',
          error: asDropkitError(e, { code: 'INTERNAL', host: o.spec }),
        });
      }
      if (interrupt.signal.aborted) break;
    }
  } finally {
    await Promise.all(opened.map((o) => ('transport' in o ? o.transport.close() : undefined)));
  }
  if (opts.json)
    printJson({
      ok: results.every((r) => r.status !== 'failed' && r.status !== 'refused'),
      hosts: results.map(jsonOf),
    });
  else printOut(results.map(textOf).join(''));
  if (interrupt.signal.aborted) return EXIT.INTERRUPTED;
  return results.some((r) => r.status === 'failed' || r.status === 'refused')
    ? EXIT.ERROR
    : EXIT.OK;
}

export async function runApply(
  output: PlatformOutput,
  planned: PlannedFixes,
  opts: MitigateOptions,
  g: GlobalOptions,
): Promise<number> {
  const { applyOnHost } = await import('../../repro/mitigate/apply-hosts.js');
  const code = await onHosts(opts, g, (t) =>
    applyOnHost(t, {
      files: output.files,
      plan: planned.plan,
      yes: !!opts.yes,
      signal: interrupt.signal,
    }),
  );
  if (!opts.yes && !opts.json) printErr('dry run: no host was changed; add --yes to apply\n');
  return code;
}

export async function runRollback(opts: MitigateOptions, g: GlobalOptions): Promise<number> {
  const { rollbackOnHost } = await import('../../repro/mitigate/apply-hosts.js');
  const code = await onHosts(opts, g, (t) =>
    rollbackOnHost(t, { yes: !!opts.yes, signal: interrupt.signal }),
  );
  if (!opts.yes && !opts.json) printErr('dry run: no host was changed; add --yes to roll back\n');
  return code;
}

function changeLines(h: { changes: HostChanges }): string[] {
  const c = h.changes;
  return [
    ...c.files.map(
      (f) => `install ${f.path}${f.fresh ? ' (new)' : " (replaces dropkit's earlier one)"}`,
    ),
    ...c.settings.map((s, i) => `set ${s.label} ${c.originals[i]?.value ?? '?'} -> ${s.value}`),
    ...c.same.map((s) => `already: ${s}`),
  ];
}

function textOf(
  r: HostOutcome | { host: string; status: 'failed'; error: ReturnType<typeof asDropkitError> },
): string {
  const h = field(r.host);
  const list = (lines: string[]) => lines.map((l) => `  ${field(l)}\n`).join('');
  switch (r.status) {
    case 'failed':
      return `${h}: FAILED at ${field(r.error.step ?? 'mitigate')}: ${field(r.error.message)}${r.error.hint ? ` (${field(r.error.hint)})` : ''}\n`;
    case 'refused':
      return `${h}: NOT applied, nothing changed:\n${list(r.changes.problems)}`;
    case 'nothing':
      return `${h}: nothing to do\n${list(changeLines(r))}`;
    case 'dry-run':
      return `${h}: would change:\n${list(changeLines(r))}`;
    case 'applied':
      return `${h}: applied and verified:\n${list(changeLines(r))}  rollback recorded in ${field(r.record)}: repro mitigate --rollback --node ${h} --yes\n`;
    case 'rollback-dry-run':
      return `${h}: a rollback is recorded; it would run:\n${list(r.recorded)}`;
    case 'nothing-recorded':
      return `${h}: nothing to roll back\n`;
    case 'rolled-back':
      return `${h}: rolled back and verified:\n${list([
        ...r.removed.map((p) => `removed ${p}`),
        ...[...r.readback].map(([k, v]) => `${k} = ${v}`),
      ])}`;
  }
}

function jsonOf(
  r: HostOutcome | { host: string; status: 'failed'; error: ReturnType<typeof asDropkitError> },
) {
  if (r.status === 'failed') return { host: r.host, status: r.status, error: r.error.toJSON() };
  if ('changes' in r)
    return {
      host: r.host,
      status: r.status,
      files: r.changes.files.map((f) => ({ path: f.path, new: f.fresh })),
      settings: r.changes.settings.map((s, i) => ({
        setting: s.label,
        from: r.changes.originals[i]?.value,
        to: s.value,
      })),
      same: r.changes.same,
      problems: r.changes.problems,
      ...('record' in r ? { record: r.record } : {}),
    };
  if ('recorded' in r) return { host: r.host, status: r.status, recorded: r.recorded };
  return {
    host: r.host,
    status: r.status,
    readback: Object.fromEntries(r.readback),
    removed: r.removed,
  };
}
