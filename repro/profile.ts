import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { builtinProfileNames, builtinProfileText } from './builtin-profiles.js';
import { enforceCaps, type Overrides, resolveCaps, withOverrides } from './profile-caps.js';
import { ProfileError, profileError } from './profile-error.js';
import { IssueList } from './profile-issues.js';
import { readProfile } from './profile-schema.js';
import type { Caps, Profile } from './profile-types.js';

export { applyOverrides, type Overrides, totalDuration } from './profile-caps.js';
export { ProfileError } from './profile-error.js';
export { type Caps, DEFAULT_CAPS, type Phase, type Profile } from './profile-types.js';

export interface LoadOptions {
  // Raised caps; only from an explicit operator option, never from a profile.
  caps?: Partial<Caps>;
  // Applied before the caps are checked, so --duration can shorten a profile
  // that is too long as written; the caps then apply to the result.
  overrides?: Overrides;
}

// Validates YAML text. `file` names it in errors ("microburst.yaml:7:12: ...").
export function parseProfile(text: string, file: string, opts: LoadOptions = {}): Profile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues = new IssueList(file, lines);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      // The yaml library's own message, first line only: the rest is a snippet.
      issues.addAt(e.pos[0], (e.message.split('\n')[0] ?? e.code).replace(/ at line \d+.*$/, ''));
    }
    throw new ProfileError('syntax', issues.items);
  }
  const profile = readProfile(doc, file, issues);
  if (!profile) throw new ProfileError('schema', issues.items);
  const out = opts.overrides ? withOverrides(profile, opts.overrides) : profile;
  // An overridden duration is not the file's: its line would mislead.
  const durationOverridden = opts.overrides?.duration !== undefined;
  enforceCaps(out, resolveCaps(opts.caps), (path) =>
    durationOverridden && path.endsWith('.duration') ? undefined : issues.positions.get(path),
  );
  return out;
}

function looksLikePath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || /\.ya?ml$/i.test(nameOrPath);
}

// A built-in name ("microburst") or a path to a YAML file ("./mine.yaml").
export async function loadProfile(nameOrPath: string, opts: LoadOptions = {}): Promise<Profile> {
  if (!looksLikePath(nameOrPath)) {
    const names = await builtinProfileNames();
    if (!names.includes(nameOrPath)) {
      throw profileError(
        'not-found',
        nameOrPath,
        `no built-in profile "${nameOrPath}" (built-in: ${names.join(', ') || 'none found'})`,
        'pass a built-in name or a path to a YAML file (with a / or a .yaml suffix)',
      );
    }
    // Built-ins are named by their file name only, user files by the path given.
    return parseProfile(await builtinProfileText(nameOrPath), `${nameOrPath}.yaml`, opts);
  }
  let text: string;
  try {
    text = await readFile(nameOrPath, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    throw profileError('not-found', nameOrPath, `cannot read the profile: ${why}`);
  }
  return parseProfile(text, nameOrPath, opts);
}

export interface ProfileSummary {
  name: string;
  description: string;
  file: string;
}

// The built-in profiles, by name. A broken built-in is a bug: it throws.
export async function listProfiles(): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const name of await builtinProfileNames()) {
    const p = await loadProfile(name);
    out.push({ name: p.name, description: p.description, file: `${name}.yaml` });
  }
  return out;
}
