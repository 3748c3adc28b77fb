// Ansible's INI inventory (the ini inventory plugin): `[group]` sections of
// host lines (`name key=value ...`), `[group:children]` of group names and
// `[group:vars]` of `key=value` lines; hosts before any section are
// `ungrouped`. `#` and `;` start comment lines. Pure; the first malformed line
// is an error naming the file and the line.

import { type FleetHost, listError } from './fleet-host.js';
import { expandHostPattern } from './host-pattern.js';
import { type ConnectionVars, connectionVar, Inventory } from './inventory-model.js';

type Section = { kind: 'hosts' | 'children' | 'vars'; group: string };

// Splits like Python's shlex (quotes, backslashes) with `#` starting a comment
// at the start of a word, as the plugin does.
function words(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') break;
    let word = '';
    let quote = '';
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '' && /\s/.test(c)) break;
      if (c === '\\' && quote !== "'" && i + 1 < line.length) word += line[++i];
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else word += c;
    }
    if (quote !== '') return 'unterminated quote';
    out.push(word);
  }
  return out;
}

function sectionOf(header: string): Section | string {
  const body = header.slice(1, -1).trim();
  const colon = body.lastIndexOf(':');
  const group = colon < 0 ? body : body.slice(0, colon);
  const suffix = colon < 0 ? '' : body.slice(colon + 1);
  if (group === '' || /\s/.test(group)) return `bad group name in "${header}"`;
  if (suffix === '') return { kind: 'hosts', group };
  if (suffix === 'children' || suffix === 'vars') return { kind: suffix, group };
  return `unknown section type ":${suffix}" in "${header}"`;
}

function assignments(items: string[]): Array<[string, string]> | string {
  const out: Array<[string, string]> = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) return `expected key=value, found "${item}"`;
    out.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return out;
}

export function parseAnsibleIni(text: string, file: string): FleetHost[] {
  const inv = new Inventory(file);
  let section: Section = { kind: 'hosts', group: 'ungrouped' };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const fail = (problem: string) => listError(file, lineNo, problem);
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const s = sectionOf(line);
      if (typeof s === 'string') throw fail(s);
      section = s;
      continue;
    }
    const split = words(line);
    if (typeof split === 'string') throw fail(split);
    if (split.length === 0) continue;
    if (section.kind === 'children') {
      if (split.length > 1) throw fail(`one group per line in [${section.group}:children]`);
      inv.addChild(section.group, split[0]!, lineNo);
      continue;
    }
    if (section.kind === 'vars') {
      // `key=value` or `key = value` (the plugin accepts both here).
      const joined = split.join(' ');
      const eq = joined.indexOf('=');
      if (eq <= 0) throw fail(`expected key=value in [${section.group}:vars]`);
      const vars: ConnectionVars = {};
      const problem = connectionVar(vars, joined.slice(0, eq).trim(), joined.slice(eq + 1).trim());
      if (problem) throw fail(problem);
      inv.setGroupVars(section.group, vars, lineNo);
      continue;
    }
    const [pattern, ...rest] = split as [string, ...string[]];
    const pairs = assignments(rest);
    if (typeof pairs === 'string') throw fail(pairs);
    const vars: ConnectionVars = {};
    for (const [k, v] of pairs) {
      const problem = connectionVar(vars, k, v);
      if (problem) throw fail(problem);
    }
    let expanded: ReturnType<typeof expandHostPattern>;
    try {
      expanded = expandHostPattern(pattern);
    } catch (e) {
      throw fail((e as Error).message);
    }
    // A `:port` on the name, unless ansible_port says otherwise.
    if (expanded.port !== undefined && vars.port === undefined) vars.port = expanded.port;
    for (const name of expanded.names) inv.addHost(section.group, name, vars, lineNo);
  }
  return inv.build();
}
