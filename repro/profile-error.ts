// A profile problem, located in its YAML file. A plain Error: the CLI wraps it
// into its own error family (kit/errors.ts) with `message` and `hint`.

export type ProfileErrorKind = 'syntax' | 'schema' | 'cap' | 'not-found';

export interface ProfileIssue {
  file: string;
  // 1-based; undefined when the problem has no place in a file (an override).
  line: number | undefined;
  column: number | undefined;
  // The bare reason: "phases[0].streams must be a positive integer".
  reason: string;
}

export function formatIssue(i: ProfileIssue): string {
  const where = i.line === undefined ? i.file : `${i.file}:${i.line}:${i.column ?? 1}`;
  return `${where}: ${i.reason}`;
}

export class ProfileError extends Error implements ProfileIssue {
  readonly kind: ProfileErrorKind;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
  readonly hint: string | undefined;
  // Every problem found in the file; this error describes the first one.
  readonly issues: ProfileIssue[];

  constructor(kind: ProfileErrorKind, issues: ProfileIssue[], hint?: string) {
    const first = issues[0] ?? { file: '?', line: undefined, column: undefined, reason: kind };
    // `message` carries the location too, so a generic wrapper that only keeps
    // `message` still tells the user where to look.
    super(formatIssue(first));
    this.name = 'ProfileError';
    this.kind = kind;
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.reason = first.reason;
    this.hint = hint;
    this.issues = issues.length > 0 ? issues : [first];
  }

  // One line, "profile.yaml:7:12: phases[0].streams must be a positive integer".
  override toString(): string {
    return this.message;
  }
}

export function profileError(
  kind: ProfileErrorKind,
  file: string,
  reason: string,
  hint?: string,
): ProfileError {
  return new ProfileError(kind, [{ file, line: undefined, column: undefined, reason }], hint);
}
