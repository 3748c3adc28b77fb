import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seaAsset } from './sea.js';

// Walks up from this file to package.json: works from the sources (tests)
// and from dist/ (the installed CLI) alike. The single-file executable
// carries its package.json as an asset.
export function packageVersion(): string {
  const embedded = seaAsset('package.json');
  if (embedded !== undefined) return (JSON.parse(embedded) as { version: string }).version;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return '0.0.0';
}
