import type { SensitiveValue } from './categories.js';
import { isKeptGuid, parseGuid, renderGuid } from './guid.js';
import { ipv4ToText, isKeptIPv4, parseIPv4 } from './ipv4.js';
import { compressIPv6, embeddedIPv4, ipv6Plan, parseIPv6 } from './ipv6.js';
import { isKeptName, trimPublicSuffix } from './keep-names.js';
import { macPlan, parseMac, renderMac } from './mac.js';

// `fe80::1%eth0` -> `fe80::1`, as `replace(/%.*$/, '')` did where it matters (a value with a line
// break after its `%` is no address either way), without that regex's retry from every `%`
// before a line break, which is quadratic.
function withoutZone(value: string): string {
  const zone = value.indexOf('%');
  if (zone < 0 || /[\n\r\u2028\u2029]/.test(value.slice(zone))) return value;
  return value.slice(0, zone);
}

// One canonical spelling per value (so duplicates collapse), or undefined when the value is not
// sensitive at all under the keep rules. Keep rules win over discovery: declaring 127.0.0.1 or
// `localhost` sensitive does not make the redactor replace it.
export function normaliseSensitive(v: SensitiveValue): SensitiveValue | undefined {
  const value = v.value.trim();
  switch (v.category) {
    case 'ipv4': {
      const p = parseIPv4(value);
      return p === undefined || isKeptIPv4(p.value)
        ? undefined
        : { category: 'ipv4', value: ipv4ToText(p.value) };
    }
    case 'ipv6': {
      const p = parseIPv6(withoutZone(value));
      if (p === undefined) return undefined;
      const plan = ipv6Plan(p.groups);
      if (plan === 'keep') return undefined;
      if (plan === 'embedded-v4')
        return { category: 'ipv4', value: ipv4ToText(embeddedIPv4(p.groups)) };
      return { category: 'ipv6', value: compressIPv6(p.groups) };
    }
    case 'mac': {
      const p = parseMac(value);
      return p === undefined || macPlan(p.bytes) === 'keep'
        ? undefined
        : { category: 'mac', value: renderMac(p.bytes, 'colon', false) };
    }
    case 'guid': {
      const p = parseGuid(value);
      return p === undefined || isKeptGuid(p.hex)
        ? undefined
        : { category: 'guid', value: renderGuid(p.hex, true, false) };
    }
    case 'secret':
      return v.value === '' ? undefined : { category: 'secret', value: v.value };
    case 'domain': {
      const d = trimPublicSuffix(value);
      return isKeptName('domain', d) ? undefined : { category: 'domain', value: d };
    }
    default:
      return isKeptName(v.category, value) ? undefined : { category: v.category, value };
  }
}

// For callers that only have strings (a scan over an old bundle): addresses by their shape,
// anything else as a keyword (case-insensitive, matched anywhere).
export function classifySensitive(value: string): SensitiveValue {
  const v = value.trim();
  if (parseIPv4(v)?.separator === '.') return { category: 'ipv4', value: v };
  if (parseMac(v) !== undefined) return { category: 'mac', value: v };
  if (parseGuid(v) !== undefined) return { category: 'guid', value: v };
  if (parseIPv6(withoutZone(v)) !== undefined) return { category: 'ipv6', value: v };
  return { category: 'keyword', value };
}

export function sensitiveId(v: SensitiveValue): string {
  const caseless = v.category !== 'user' && v.category !== 'secret';
  return `${v.category}\u0000${caseless ? v.value.toLowerCase() : v.value}`;
}
