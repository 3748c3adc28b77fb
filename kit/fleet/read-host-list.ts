// The one piece of kit/fleet that touches disk: reads a nodes file or an
// inventory and hands the text to the pure parsers.

import { readFile } from 'node:fs/promises';
import { type FleetHost, listError } from './fleet-host.js';
import { parseInventory } from './inventory.js';
import { parseNodesFile } from './nodes-file.js';

export type HostListKind = 'nodes' | 'inventory';

export async function readHostList(file: string, kind: HostListKind): Promise<FleetHost[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw listError(file, undefined, code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return kind === 'nodes' ? parseNodesFile(text, file) : parseInventory(text, file);
}
