// A nodes file: one host per line, as `[user@]host[:port]` or an ssh alias (the
// forms of --node, kit/ssh/host-spec.ts), `#` to the end of a line a comment,
// blank lines ignored. Pure.

import { parseHostSpec } from '../ssh/host-spec.js';
import { dedupeHosts, type FleetHost, listError } from './fleet-host.js';

export function parseNodesFile(text: string, file: string): FleetHost[] {
  const hosts: FleetHost[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // A host never holds '#', so a comment can start anywhere on the line.
    const spec = lines[i]!.replace(/#.*/, '').trim();
    if (spec === '') continue;
    if (/\s/.test(spec)) {
      throw listError(file, i + 1, `one host per line, found "${spec}"`);
    }
    let parsed: ReturnType<typeof parseHostSpec>;
    try {
      parsed = parseHostSpec(spec);
    } catch (e) {
      throw listError(file, i + 1, (e as Error).message);
    }
    hosts.push({ name: spec, ...parsed, groups: [] });
  }
  return dedupeHosts(hosts);
}
