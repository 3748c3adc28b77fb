// Ansible's YAML inventory (the yaml inventory plugin): top-level groups
// (usually `all`), each a mapping with optional `hosts` (names to variables),
// `children` (names to groups, nested to any depth) and `vars`. The document is
// walked as nodes, not as plain data, so that every problem names its line.
// Pure.

import { isMap, isScalar, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { type FleetHost, listError } from './fleet-host.js';
import { expandHostPattern } from './host-pattern.js';
import { type ConnectionVars, connectionVar, Inventory } from './inventory-model.js';

const GROUP_KEYS = new Set(['hosts', 'children', 'vars']);

export function parseAnsibleYaml(text: string, file: string): FleetHost[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lines.linePos(node.range[0]).line : undefined;
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    // The library repeats the position in its message; the prefix already says it.
    const what = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw listError(file, line, `not valid YAML: ${what}`);
  }
  const inv = new Inventory(file);

  const fail = (node: Node | null | undefined, problem: string) =>
    listError(file, lineOf(node), problem);
  const keyText = (key: unknown): string => {
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number'))
      return String(key.value);
    throw fail(key as Node, 'expected a name here');
  };
  // A missing or null value (`web1:`) is an empty mapping, as Ansible reads it.
  const mapOrEmpty = (node: unknown, what: string): YAMLMap | undefined => {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node) && node.value === null) return undefined;
    if (isMap(node)) return node;
    throw fail(node as Node, `${what} must be a mapping`);
  };

  const readVars = (node: unknown, what: string): ConnectionVars => {
    const vars: ConnectionVars = {};
    for (const pair of mapOrEmpty(node, what)?.items ?? []) {
      const value = isScalar(pair.value) ? pair.value.value : pair.value;
      const problem = connectionVar(vars, keyText(pair.key), value);
      if (problem) throw fail((pair.value ?? pair.key) as Node, problem);
    }
    return vars;
  };

  const readGroup = (name: string, node: unknown, line: number): void => {
    for (const pair of mapOrEmpty(node, `group "${name}"`)?.items ?? []) {
      const key = keyText(pair.key);
      if (!GROUP_KEYS.has(key)) {
        throw fail(
          pair.key as Node,
          `group "${name}" has "${key}"; only hosts, children and vars belong there`,
        );
      }
      const at = lineOf(pair.key as Node) ?? line;
      if (key === 'vars') inv.setGroupVars(name, readVars(pair.value, `vars of "${name}"`), at);
      if (key === 'hosts') {
        for (const h of mapOrEmpty(pair.value, `hosts of "${name}"`)?.items ?? []) {
          const pattern = keyText(h.key);
          const hostLine = lineOf(h.key as Node) ?? at;
          let expanded: ReturnType<typeof expandHostPattern>;
          try {
            expanded = expandHostPattern(pattern);
          } catch (e) {
            throw fail(h.key as Node, (e as Error).message);
          }
          const vars = readVars(h.value, `host "${pattern}"`);
          if (expanded.port !== undefined && vars.port === undefined) vars.port = expanded.port;
          for (const host of expanded.names) inv.addHost(name, host, vars, hostLine);
        }
      }
      if (key === 'children') {
        for (const c of mapOrEmpty(pair.value, `children of "${name}"`)?.items ?? []) {
          const child = keyText(c.key);
          const childLine = lineOf(c.key as Node) ?? at;
          inv.addChild(name, child, childLine);
          readGroup(child, c.value, childLine);
        }
      }
    }
  };

  const root = doc.contents;
  // An empty file is an empty inventory.
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root)) throw fail(root, 'an inventory is a mapping of groups (e.g. "all:")');
  for (const pair of root.items) {
    const name = keyText(pair.key);
    readGroup(name, pair.value, lineOf(pair.key as Node) ?? 1);
  }
  return inv.build();
}
