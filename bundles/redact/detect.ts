import { azureFindings } from './detect-azure.js';
import { guidFindings } from './detect-guid.js';
import { homeFindings } from './detect-home.js';
import { dashedIPv4Findings, ipv4Findings } from './detect-ipv4.js';
import { ipv6Findings } from './detect-ipv6.js';
import { macFindings } from './detect-mac.js';
import { secretFindings, secretLeaks } from './detect-secrets.js';
import type { Finding } from './finding.js';

// IMDS documents get the extra `name`/`value` field rules. Recognised by file name or by fields
// only IMDS prints.
export function looksLikeImds(text: string, file?: string): boolean {
  if (file !== undefined && /imds/i.test(file)) return true;
  return /"(?:azEnvironment|vmId|vmScaleSetName)"\s*:/.test(text);
}

// Everything the redactor replaces, before known literals are added. They
// depend on the text and on whether it is an IMDS document, nothing else.
export function patternFindings(text: string, imds: boolean): Finding[] {
  return [
    ...secretFindings(text),
    ...azureFindings(text, imds),
    ...homeFindings(text),
    ...dashedIPv4Findings(text),
    ...ipv4Findings(text),
    ...ipv6Findings(text),
    ...macFindings(text),
    ...guidFindings(text),
  ];
}

// The generic part of the leak scan: only patterns whose pseudonyms are recognisable as ours
// (IPv4 tokens live in kept ranges, MAC tokens start d2:ec, IPv6 tokens in 3fff::/16, secrets
// become markers). Names, GUIDs and solicited-node bits cannot be told from their tokens, so the
// scan checks those through the list of known values instead.
export function leakFindings(text: string): Finding[] {
  return [
    ...secretLeaks(text),
    ...dashedIPv4Findings(text),
    ...ipv4Findings(text),
    ...ipv6Findings(text, false),
    ...macFindings(text, false),
  ];
}
