// Value syntax of the ssh_config keywords dropkit interprets. Validation happens at parse
// time so that a bad value becomes a warning with file:line instead of a surprise later;
// unknown keywords are not validated at all (OpenSSH has ~100 and we ignore most).

import { parseHostSpec, parsePort } from './host-spec.js';

export type StrictHostKeyChecking = 'yes' | 'no' | 'accept-new' | 'ask';

// Maps rather than object literals: config text must never reach Object.prototype keys.
const STRICT_VALUES = new Map<string, StrictHostKeyChecking>([
  ['yes', 'yes'],
  ['true', 'yes'],
  ['no', 'no'],
  ['false', 'no'],
  ['off', 'no'],
  ['ask', 'ask'],
  ['accept-new', 'accept-new'],
]);

export function parseStrictHostKeyChecking(text: string): StrictHostKeyChecking | undefined {
  return STRICT_VALUES.get(text.toLowerCase());
}

export function parseYesNo(text: string): boolean | undefined {
  const v = text.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  return undefined;
}

const TIME_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/** OpenSSH convtime(): "30", "1m30s", "2h"; returns seconds or undefined if malformed. */
export function parseTimeSpec(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)([smhdw]?)/giy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * TIME_UNITS[m[2]!.toLowerCase()]!;
    consumed = re.lastIndex;
  }
  return consumed === text.length && text.length > 0 ? total : undefined;
}

/** Non-negative decimal integer. */
export function parseCount(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Splits a ProxyJump value into hops; `none` yields an empty list. */
export function parseProxyJump(text: string): string[] {
  return text.toLowerCase() === 'none' ? [] : text.split(',');
}

type Validator = (args: string[]) => string | undefined;

const single =
  (check: (value: string) => string | undefined): Validator =>
  (args) =>
    args.length > 1 ? `unexpected extra arguments "${args.slice(1).join(' ')}"` : check(args[0]!);

const anyValue = single(() => undefined);

const timeOrNone = single((v) =>
  v === 'none' || parseTimeSpec(v) !== undefined ? undefined : `invalid time value "${v}"`,
);

const proxyJump = single((v) => {
  for (const hop of parseProxyJump(v)) {
    try {
      parseHostSpec(hop);
    } catch (err) {
      return `invalid ProxyJump: ${(err as Error).message}`;
    }
  }
  return undefined;
});

/** Validators for the keywords the resolver reads, keyed by lower-case keyword. */
export const KEYWORD_VALIDATORS: ReadonlyMap<string, Validator> = new Map(
  Object.entries({
    hostname: anyValue,
    user: anyValue,
    hostkeyalias: anyValue,
    port: single((v) => (parsePort(v) === undefined ? `invalid port "${v}"` : undefined)),
    identityfile: anyValue,
    // Several files per line are allowed for both known-hosts keywords.
    userknownhostsfile: () => undefined,
    globalknownhostsfile: () => undefined,
    proxyjump: proxyJump,
    // ProxyCommand takes the raw rest of the line, so any number of words is fine.
    proxycommand: () => undefined,
    connecttimeout: timeOrNone,
    serveraliveinterval: timeOrNone,
    serveralivecountmax: single((v) =>
      parseCount(v) === undefined ? `invalid count "${v}"` : undefined,
    ),
    stricthostkeychecking: single((v) =>
      parseStrictHostKeyChecking(v) === undefined
        ? `invalid StrictHostKeyChecking "${v}"`
        : undefined,
    ),
    identitiesonly: single((v) =>
      parseYesNo(v) === undefined ? `expected yes/no, got "${v}"` : undefined,
    ),
  }),
);
