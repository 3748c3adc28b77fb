import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { keepCategory } from './keep-option.js';

// The config file's values as option defaults, just before a command runs
// (a preAction hook): an option given on the command line keeps its value,
// one left at its default takes the file's. Keys a command has no option for
// are left for the commands that do.

export function defaultConfigPath(): string {
  const base = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'dropkit', 'config.yaml');
}

export async function applyUserConfig(program: Command, action: Command): Promise<void> {
  const explicit = program.opts()['config'] as string | undefined;
  const file = explicit ?? defaultConfigPath();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    // No file is the normal case; a file named with --config must exist.
    if (!explicit && (e as NodeJS.ErrnoException).code === 'ENOENT') return;
    action.error(`error: cannot read the config file ${file}: ${(e as Error).message}`, {
      exitCode: 2,
    });
  }
  // The YAML parser loads only when there is a file: not on every start.
  const { parseUserConfig } = await import('../user-config.js');
  const { config, problems } = parseUserConfig(text, file, (option, value) => {
    if (option !== 'keep') return undefined;
    try {
      keepCategory(value, []);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  });
  if (problems.length)
    action.error(
      `error: ${problems
        .map((p) => `${p.file}:${p.line}: ${p.key ? `${p.key}: ` : ''}${p.reason}`)
        .join('\nerror: ')}`,
      { exitCode: 2 },
    );
  for (const [name, value] of config.values) {
    // The command's own option, else one of its parents' (global options).
    for (let c: Command | null = action; c; c = c.parent) {
      if (!c.options.some((o) => o.attributeName() === name)) continue;
      const source = c.getOptionValueSource(name);
      if (source === undefined || source === 'default')
        c.setOptionValueWithSource(name, value, 'config');
      break;
    }
  }
}
