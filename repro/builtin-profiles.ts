import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seaAsset } from '../kit/sea.js';

// The built-in profiles are the YAML files in repro/profiles/. The build only
// compiles .ts into dist/, so from dist/repro/*.js we walk up to the package
// root (the folder with package.json) and read them from the sources, as
// kit/version.ts does for the version. The single-file executable carries
// them as one asset, `profiles.json`: { name: YAML text }.
export function builtinProfilesDir(fromUrl: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) {
      const profiles = join(dir, 'repro', 'profiles');
      return existsSync(profiles) ? profiles : undefined;
    }
    dir = dirname(dir);
  }
  return undefined;
}

export const EMBEDDED_PROFILES = 'profiles.json';

function embedded(): Record<string, string> | undefined {
  const text = seaAsset(EMBEDDED_PROFILES);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, string>);
}

export async function builtinProfileNames(): Promise<string[]> {
  const inside = embedded();
  if (inside) return Object.keys(inside).sort();
  const dir = builtinProfilesDir();
  if (!dir) return [];
  return (await readdir(dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

// The YAML text of a name builtinProfileNames() gave.
export async function builtinProfileText(name: string): Promise<string> {
  const inside = embedded();
  if (inside) {
    const text = inside[name];
    if (text === undefined) throw new Error(`no built-in profile ${name} in this executable`);
    return text;
  }
  return readFile(join(builtinProfilesDir() ?? '', `${name}.yaml`), 'utf8');
}
