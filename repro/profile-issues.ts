import type { LineCounter, Node } from 'yaml';
import type { ProfileIssue } from './profile-error.js';

// Collects located problems while a profile is validated, so one run reports
// every mistake in the file, each with the line and column it sits on.
export class IssueList {
  readonly items: ProfileIssue[] = [];
  // Where each field's value was, by path ("phases[0].duration"): the cap
  // checks run after validation and still point at the right line.
  readonly positions = new Map<string, { line: number; column: number }>();

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  position(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  // A node's start; YAML nodes made by the parser always carry a range.
  nodePosition(node: Node | null | undefined, fallback: number): { line: number; column: number } {
    return this.position(node?.range?.[0] ?? fallback);
  }

  remember(path: string, node: Node | null | undefined, fallback: number): void {
    this.positions.set(path, this.nodePosition(node, fallback));
  }

  add(node: Node | null | undefined, fallback: number, reason: string): void {
    const { line, column } = this.nodePosition(node, fallback);
    this.items.push({ file: this.file, line, column, reason });
  }

  addAt(offset: number, reason: string): void {
    const { line, column } = this.position(offset);
    this.items.push({ file: this.file, line, column, reason });
  }
}
