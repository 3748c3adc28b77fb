import type { Command } from 'commander';
import { listProfiles } from '../../repro/profile.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, printJson } from './common.js';

// `repro profiles`: the built-in traffic profiles, by name.
export function registerProfiles(program: Command): void {
  program
    .command('profiles')
    .description('list the built-in traffic profiles')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['repro profiles']))
    .action(
      action(async (o: { json?: boolean }) => {
        const list = await listProfiles();
        if (o.json) printJson(list);
        else for (const p of list) process.stdout.write(`${p.name.padEnd(12)} ${p.description}\n`);
        return EXIT.OK;
      }),
    );
}
