import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic } from '../../kit/atomic-write.js';
import { isCpuMask, isPlainNumber, type SettingValue } from './settings.js';

// The second copy of what a comparison changed on a host, on the operator's
// machine: written before the first change, removed once the host's values
// read back as they were. `repro restore` uses it when the host's own
// script is gone.

export interface LocalRecord {
  schema: 'dropkit.restore/1';
  runId: string;
  createdAt: string;
  // The host as the operator named it.
  host: string;
  netns: string;
  // The restore script's path on the host.
  script: string;
  originals: SettingValue[];
}

export function stateDir(): string {
  const env = process.env;
  return (
    env['DROPKIT_STATE_DIR'] ||
    join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'dropkit')
  );
}

function recordDir(): string {
  return join(stateDir(), 'restore');
}

function fileOf(r: Pick<LocalRecord, 'runId' | 'netns' | 'host'>): string {
  const safeHost = r.host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return join(recordDir(), `${r.runId}-${r.netns.replace(/\D/g, '')}-${safeHost}.json`);
}

export async function writeLocalRecord(r: LocalRecord): Promise<string> {
  await mkdir(recordDir(), { recursive: true, mode: 0o700 });
  const file = fileOf(r);
  // Durable before the first change: after a crash or power loss this record is how
  // `repro restore` knows the originals. It may replace a record of the same run.
  await writeAtomic(file, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600, replace: true });
  return file;
}

export async function removeLocalRecord(r: LocalRecord): Promise<void> {
  await rm(fileOf(r), { force: true });
}

// Every record still here, for these hosts; a file that is not a record is skipped.
export async function localRecords(hosts: readonly string[]): Promise<LocalRecord[]> {
  const names = await readdir(recordDir()).catch(() => [] as string[]);
  const out: LocalRecord[] = [];
  for (const n of names.filter((x) => x.endsWith('.json')).sort()) {
    const r = asRecord(await readFile(join(recordDir(), n), 'utf8').catch(() => ''));
    if (r && hosts.includes(r.host)) out.push(r);
  }
  return out;
}

function asRecord(text: string): LocalRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = v as LocalRecord;
  if (r?.schema !== 'dropkit.restore/1' || typeof r.host !== 'string') return undefined;
  if (!/^[0-9a-f]{1,32}$/.test(r.runId) || !/^net:\[\d+\]$/.test(r.netns)) return undefined;
  // It goes into a comment line of the script: one line, a timestamp.
  if (typeof r.createdAt !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.createdAt))
    return undefined;
  if (!Array.isArray(r.originals) || !r.originals.every(validSetting)) return undefined;
  return r;
}

// The record is ours, but it is read back into a root script: check it as
// strictly as a value from a host.
function validSetting(s: SettingValue): boolean {
  if (typeof s?.label !== 'string' || typeof s.value !== 'string') return false;
  if (!isPlainNumber(s.value) && !isCpuMask(s.value)) return false;
  const t = s.target;
  if (t?.kind === 'ring') return typeof t.iface === 'string' && /^[^\s/:]{1,15}$/.test(t.iface);
  return (
    t?.kind === 'file' &&
    /^\/(proc\/sys\/net\/core\/[a-z_]+|sys\/class\/net\/[^\s/:]{1,15}\/queues\/rx-\d+\/rps_cpus)$/.test(
      t.path,
    ) &&
    (t.ns === undefined || t.ns === 1 || t.ns === 2)
  );
}
