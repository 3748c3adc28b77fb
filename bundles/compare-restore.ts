import { hostOfSpec } from '../kit/ssh/host-spec.js';
import { terminalField as field } from '../kit/terminal-text.js';
import type { CompareRecord, HostRestore } from '../repro/compare/record.js';
import type { SettingChange } from '../repro/mitigations/types.js';
import { labelOf } from './repro-label.js';

// What a comparison changed on each host and whether it was put back. A host
// left changed is the one thing an operator must not miss: its restore
// command is named wherever the state is shown. Pure.

export type Role = SettingChange['role'];

// A host as the bundle names it (its label, as in each run's summary) and
// its role; `spec` is how the operator named it, which the records key by.
export interface HostState {
  spec: string;
  label: string;
  role: Role | undefined;
  // unknown: settings were changed there and no restore was recorded.
  status: HostRestore['status'] | 'unknown';
  detail: string | undefined;
  script: string | undefined;
  settings: Array<{ variant: string; change: SettingChange }>;
}

// spec → label and role, from the runs (the label is the hostname the host
// reported, as in every run's summary), else from the settings.
function namesOf(cr: CompareRecord): Map<string, { label: string; role?: Role }> {
  const names = new Map<string, { label: string; role?: Role }>();
  for (const r of cr.runs)
    for (const h of r.rec.hosts)
      if (!names.has(h.spec)) names.set(h.spec, { label: labelOf(h), role: h.role });
  for (const v of cr.variants)
    for (const s of v.settings)
      if (!names.has(s.host)) names.set(s.host, { label: hostOfSpec(s.host), role: s.role });
  return names;
}

export function hostStates(cr: CompareRecord): HostState[] {
  const names = namesOf(cr);
  const specs = cr.restore.map((r) => r.host);
  for (const v of cr.variants)
    for (const s of v.settings) if (!specs.includes(s.host)) specs.push(s.host);
  return specs.map((spec) => {
    const r = cr.restore.find((x) => x.host === spec);
    const name = names.get(spec) ?? { label: hostOfSpec(spec) };
    return {
      spec,
      label: name.label,
      role: name.role,
      status: r?.status ?? 'unknown',
      detail: r?.detail,
      script: r?.script,
      settings: cr.variants.flatMap((v) =>
        v.settings.filter((s) => s.host === spec).map((change) => ({ variant: v.name, change })),
      ),
    };
  });
}

export const isRestored = (h: HostState) => h.status === 'restored' || h.status === 'unchanged';

// `repro restore --pair A B`, with the pair as the operator gave it.
export function restoreCommand(cr: CompareRecord): string {
  const first = cr.runs[0]?.rec.hosts.map((h) => h.spec);
  const byRole = (role: Role) =>
    cr.variants.flatMap((v) => v.settings).find((s) => s.role === role)?.host;
  const pair = first ?? [byRole('sender') ?? 'A', byRole('receiver') ?? 'B'];
  return `repro restore --pair ${pair.join(' ')}`;
}

function stateLine(h: HostState, command: string): string {
  const detail = h.detail ? `: ${field(h.detail)}` : '';
  const script = h.script ? ` (its restore script is still on it: \`${field(h.script)}\`)` : '';
  switch (h.status) {
    case 'restored':
      return `Restored: every changed value read back equal to its original${detail}.`;
    case 'unchanged':
      return 'Nothing was changed on this host.';
    case 'pending':
      return `**NOT RESTORED: the host could not be reached or verified${detail}.** Its settings may still be changed${script}. Restore them now: \`${command}\`.`;
    case 'failed':
      return `**RESTORE FAILED: a value read back differs from its original${detail}.** Check the values above on the host, then run \`${command}\`.`;
    default:
      return `**NO RESTORE RECORDED for this host.** Check the values above on it, then run \`${command}\`.`;
  }
}

function changeLine(s: { variant: string; change: SettingChange }): string {
  const c = s.change;
  const via = c.via ? `, through ${field(c.via)}` : '';
  return `- ${field(s.variant)}: \`${field(c.setting)}\` ${field(c.from)} → ${field(c.to)}${via}`;
}

// summary.md's "What was changed and restored".
export function restoreSection(cr: CompareRecord): string[] {
  const out = ['', '## What was changed and restored'];
  const states = hostStates(cr);
  if (!states.length) return [...out, '', 'No setting was changed on either host.'];
  const command = restoreCommand(cr);
  for (const h of states) {
    out.push('', `### ${field(h.label)}${h.role ? ` (${h.role})` : ''}`, '');
    out.push(...(h.settings.length ? h.settings.map(changeLine) : ['- no setting changed']));
    out.push('', stateLine(h, field(command)));
  }
  return out;
}
