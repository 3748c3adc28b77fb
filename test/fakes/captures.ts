import { readFileSync } from 'node:fs';

// Real outputs captured on two namespaced hosts by captures/capture.sh.
export function capture(name: string): string {
  return readFileSync(new URL(`./captures/${name}`, import.meta.url), 'utf8');
}
