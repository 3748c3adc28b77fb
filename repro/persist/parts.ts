import type { GeneratedFile } from './types.js';

// What one platform module returns; generate() adds the plan's own notes and
// problems and the README.
export interface PlatformParts {
  title: string;
  intro: string[];
  files: GeneratedFile[];
  notes: string[];
  problems: string[];
}
