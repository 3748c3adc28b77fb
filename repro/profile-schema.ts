import { type Document, isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { checkExtraArgs } from './extra-args.js';
import {
  type Field,
  listItem,
  readBoolean,
  readFields,
  readPositiveInt,
  readRate,
  readSize,
  readString,
  readStringList,
} from './profile-fields.js';
import type { IssueList } from './profile-issues.js';
import type { Phase, Profile, Protocol } from './profile-types.js';

const PROFILE_KEYS = ['name', 'description', 'duration', 'phases'] as const;
const PHASE_KEYS = [
  'name',
  'protocol',
  'streams',
  'bitrate',
  'burst',
  'length',
  'duration',
  'reverse',
  'bidir',
  'window',
  'extraArgs',
] as const;

// Names end up in file names (server-<phase>.json) and in repro.sh, so they
// stay within a safe character set.
const NAME = { re: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, what: 'a name of letters, digits, . _ -' };
const PROTOCOL = { re: /^(udp|tcp)$/, what: 'udp or tcp' };

// iperf3 3.12 limits: MAX_STREAMS 128, MAX_BURST 1000, UDP payload 65507,
// MAX_BLOCKSIZE 1 MB. A day is a generous upper bound before the caps apply.
const MAX_STREAMS = 128;
const MAX_BURST = 1000;
const MAX_UDP_LENGTH = 65507;
const MAX_TCP_LENGTH = 1024 * 1024;
const MAX_SECONDS = 86400;
const MAX_PHASES = 32;

function start(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function readPhase(
  map: YAMLMap,
  index: number,
  defaultDuration: { value: number; field: Field } | undefined,
  issues: IssueList,
): Phase | undefined {
  const path = `phases[${index}]`;
  const f = readFields(map, path, PHASE_KEYS, issues);
  const here = start(map);
  const before = issues.items.length;
  const required = (key: string) => {
    if (!f.has(key)) issues.addAt(here, `${path}.${key} is required`);
  };
  required('name');
  required('protocol');
  const name = readString(f.get('name'), issues, NAME);
  const protocol = readString(f.get('protocol'), issues, PROTOCOL) as Protocol | undefined;
  const streams = readPositiveInt(f.get('streams'), issues, MAX_STREAMS) ?? 1;
  const rate = readRate(f.get('bitrate'), issues);
  const burst = readPositiveInt(f.get('burst'), issues, MAX_BURST) ?? null;
  const maxLength = protocol === 'udp' ? MAX_UDP_LENGTH : MAX_TCP_LENGTH;
  const length = readPositiveInt(f.get('length'), issues, maxLength) ?? null;
  const reverse = readBoolean(f.get('reverse'), issues) ?? false;
  const bidir = readBoolean(f.get('bidir'), issues) ?? false;
  const window = readSize(f.get('window'), issues) ?? null;
  const extraArgs = readStringList(f.get('extraArgs'), issues) ?? [];

  let duration = readPositiveInt(f.get('duration'), issues, MAX_SECONDS);
  if (f.has('duration')) issues.remember(`${path}.duration`, f.get('duration')?.value, here);
  else if (defaultDuration) {
    duration = defaultDuration.value;
    // An inherited duration is reported at the top-level `duration` line.
    issues.remember(`${path}.duration`, defaultDuration.field.value, defaultDuration.field.offset);
  } else issues.addAt(here, `${path}.duration is required (or a top-level duration)`);

  // UDP without a rate is iperf3's 1 Mbit/s default (useless) or, with -b 0,
  // unlimited (unsafe); TCP without a rate is bounded by congestion control.
  if (protocol === 'udp' && !rate) {
    issues.addAt(start(f.get('bitrate')?.value) || here, `${path}.bitrate is required for udp`);
  }
  if (burst !== null && !rate) {
    issues.add(f.get('burst')?.key, here, `${path}.burst needs a bitrate (iperf3 -b RATE/BURST)`);
  }
  if (reverse && bidir) {
    issues.add(f.get('bidir')?.key, here, `${path}: reverse and bidir cannot both be true`);
  }
  const extra = f.get('extraArgs');
  const problem = extra ? checkExtraArgs(extraArgs) : undefined;
  if (extra && problem) {
    issues.add(listItem(extra, problem.index), extra.offset, `${extra.path}: ${problem.reason}`);
  }

  if (issues.items.length > before || !name || !protocol || duration === undefined) return;
  return {
    name,
    protocol,
    streams,
    bitrate: rate?.text ?? null,
    bitsPerSecond: rate?.bps ?? null,
    burst,
    length,
    duration,
    reverse,
    bidir,
    window,
    extraArgs,
  };
}

// Turns a parsed YAML document into a Profile, or records located issues.
export function readProfile(doc: Document, file: string, issues: IssueList): Profile | undefined {
  const root = doc.contents;
  if (!isMap(root)) {
    issues.addAt(start(root), 'a profile must be a mapping with name, phases, ...');
    return;
  }
  const f = readFields(root, '', PROFILE_KEYS, issues);
  if (!f.has('name')) issues.addAt(start(root), 'name is required');
  const name = readString(f.get('name'), issues, NAME);
  const description = f.has('description') ? readString(f.get('description'), issues) : '';
  const durationField = f.get('duration');
  const duration = readPositiveInt(durationField, issues, MAX_SECONDS);
  const defaultDuration =
    duration !== undefined && durationField ? { value: duration, field: durationField } : undefined;

  const phasesField = f.get('phases');
  const phases: Phase[] = [];
  if (!phasesField) issues.addAt(start(root), 'phases is required');
  else if (!isSeq(phasesField.value) || phasesField.value.items.length === 0) {
    issues.add(phasesField.value, phasesField.offset, 'phases must be a non-empty list');
  } else if (phasesField.value.items.length > MAX_PHASES) {
    issues.add(phasesField.value, phasesField.offset, `phases must have at most ${MAX_PHASES}`);
  } else {
    const seen = new Set<string>();
    for (const [i, item] of phasesField.value.items.entries()) {
      if (!isMap(item)) {
        issues.add(item as Node, phasesField.offset, `phases[${i}] must be a mapping`);
        continue;
      }
      const phase = readPhase(item, i, defaultDuration, issues);
      if (!phase) continue;
      // Phase names become result file names: two alike would overwrite each other.
      if (seen.has(phase.name)) {
        issues.add(item, phasesField.offset, `phases[${i}].name "${phase.name}" is used twice`);
      }
      seen.add(phase.name);
      phases.push(phase);
    }
  }
  if (issues.items.length > 0 || !name) return;
  return { name, description: description ?? '', source: file, phases };
}
