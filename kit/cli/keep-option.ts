import { InvalidArgumentError } from 'commander';
import { CATEGORIES, type Category, isCategory } from '../../bundles/redact/categories.js';

// `--keep CATEGORY` (repeatable): leave one redaction category readable when
// the vendor needs it (`--keep cloud-id`, `--keep hostname`). Secrets are
// always redacted. One parser for every command that redacts.

export function keepable(): string[] {
  return CATEGORIES.filter((c) => c !== 'secret');
}

export function keepCategory(value: string, previous: Category[]): Category[] {
  if (!isCategory(value) || value === 'secret')
    throw new InvalidArgumentError(
      `unknown category "${value}": use one of ${keepable().join(', ')} (secrets are always redacted)`,
    );
  return previous.includes(value) ? previous : [...previous, value];
}

export const KEEP_FLAGS = '--keep <category>';
export function keepHelp(): string {
  return `leave one category readable (repeatable): ${keepable().join(', ')}`;
}
