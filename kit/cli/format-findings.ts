import { type Finding, findingLine } from '../../collectors/diagnosis/engine.js';
import { terminalField } from '../terminal-text.js';

// A finding on one line. It names the host and the interface, as the host or
// the archive spelled them: escaped as one field, so it stays one line.
export function formatFindingLine(f: Finding): string {
  return terminalField(findingLine(f));
}

// The findings that follow the analyze tables.
export function formatFindings(findings: Finding[], checked: string[]): string {
  if (!findings.length)
    return `\nfindings: none (checked ${[...new Set(checked)].length} counters)\n`;
  return `\nfindings:\n${findings.map((f) => `  ${formatFindingLine(f)}`).join('\n')}\n`;
}
