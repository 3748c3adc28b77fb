import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built-in profiles are the YAML files in repro/profiles/. The build only
// compiles .ts into dist/, so from dist/repro/*.js we walk up to the package
// root (the folder with package.json) and read them from the sources, as
// kit/version.ts does for the version.
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
