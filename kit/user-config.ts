import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

// The operator's defaults ($XDG_CONFIG_HOME/dropkit/config.yaml): which ssh
// config files to read, where bundles go, redaction keywords and kept
// categories, the default profile. Pure: text in, option values or located
// errors out. Flags win over these (kit/cli/config-defaults.ts), and the
// safety caps are never raised from here: a file sitting in a home directory
// must not be able to lift them for every later run.

export type ConfigValue = string | number | string[];

export interface UserConfig {
  // Option attribute name (commander's camelCase) → value.
  values: Map<string, ConfigValue>;
}

export interface ConfigProblem {
  file: string;
  line: number;
  key: string;
  reason: string;
}

type Kind = 'string' | 'strings' | 'count';

// Key in the file → the option it sets, and its type.
const KEYS: Record<string, { option: string; kind: Kind }> = {
  'ssh-config': { option: 'sshConfig', kind: 'strings' },
  out: { option: 'out', kind: 'string' },
  'redact-keyword': { option: 'redactKeyword', kind: 'strings' },
  keep: { option: 'keep', kind: 'strings' },
  parallel: { option: 'parallel', kind: 'count' },
  profile: { option: 'profile', kind: 'string' },
};

const CAPS = new Set(['max-duration', 'max-rate', 'max-duration-seconds']);

// `check`: the caller's own rule for one value of an option (the CLI knows
// which redaction categories may be kept): why it is refused, or undefined.
export function parseUserConfig(
  text: string,
  file: string,
  check: (option: string, value: string) => string | undefined = () => undefined,
): { config: UserConfig; problems: ConfigProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  const at = (offset: number | undefined, key: string, reason: string) =>
    problems.push({ file, line: lines.linePos(offset ?? 0).line, key, reason });
  const values = new Map<string, ConfigValue>();
  for (const e of doc.errors) at(e.pos[0], '', e.message.split('\n')[0] ?? 'not YAML');
  if (doc.errors.length) return { config: { values }, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null))
    return { config: { values }, problems };
  if (!isMap(root)) {
    at(root.range?.[0], '', 'the file must be a map of keys (ssh-config:, out:, …)');
    return { config: { values }, problems };
  }
  for (const pair of root.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const where = isScalar(keyNode) ? keyNode.range?.[0] : undefined;
    const spec = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (CAPS.has(key)) {
      at(
        where,
        key,
        'safety caps are never raised from the config file: give the flag on the command line',
      );
      continue;
    }
    if (!spec) {
      at(where, key, `unknown key; known: ${Object.keys(KEYS).join(', ')}`);
      continue;
    }
    const v = pair.value;
    if (spec.kind === 'strings') {
      const items = isSeq(v) ? v.items : [v];
      const out: string[] = [];
      for (const it of items)
        if (isScalar(it) && (typeof it.value === 'string' || typeof it.value === 'number')) {
          const why = check(spec.option, String(it.value));
          if (why) at(it.range?.[0] ?? where, key, why);
          else out.push(String(it.value));
        } else at(where, key, 'must be a string or a list of strings');
      if (out.length === items.length) values.set(spec.option, out);
    } else if (spec.kind === 'string') {
      if (isScalar(v) && typeof v.value === 'string' && v.value !== '')
        values.set(spec.option, v.value);
      else at(where, key, 'must be a string');
    } else if (isScalar(v) && Number.isInteger(v.value) && (v.value as number) >= 1)
      values.set(spec.option, v.value as number);
    else at(where, key, 'must be a whole number of at least 1');
  }
  return { config: { values }, problems };
}
