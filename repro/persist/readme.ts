import type { GeneratedFile } from './types.js';

// README.md of one platform's output: per file what it does, where it goes,
// how to apply it and how to roll it back; then the notes and the problems.

export interface ReadmeSpec {
  title: string;
  intro: string[];
  files: readonly GeneratedFile[];
  notes: readonly string[];
  problems: readonly string[];
}

function fence(lines: readonly string[]): string[] {
  return lines.length ? ['```sh', ...lines, '```'] : ['(nothing to run)'];
}

function section(f: GeneratedFile): string[] {
  return [
    `### \`${f.path}\``,
    '',
    f.what,
    '',
    f.installTo ? `Goes to \`${f.installTo}\` on the host.` : 'Used from this folder.',
    '',
    ...(f.apply?.length ? ['Apply:', '', ...fence(f.apply), ''] : []),
    ...(f.rollback?.length ? ['Roll back:', '', ...fence(f.rollback), ''] : []),
  ];
}

export function readme(spec: ReadmeSpec): GeneratedFile {
  const lines = [
    `# ${spec.title}`,
    '',
    'Written by dropkit from a bundle’s diagnosis. Review every file before you install it.',
    '',
    ...spec.intro.flatMap((l) => [l, '']),
    '## Files',
    '',
    ...spec.files.flatMap(section),
    '## Notes',
    '',
    ...(spec.notes.length ? spec.notes.map((n) => `- ${n}`) : ['- none']),
    '',
    '## Problems (fixes this platform cannot express)',
    '',
    ...(spec.problems.length ? spec.problems.map((p) => `- ${p}`) : ['- none']),
    '',
  ];
  return {
    path: 'README.md',
    content: lines.join('\n'),
    what: 'this guide: what each file does, where it goes, how to apply and roll back',
  };
}
