import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { terminalText } from '../terminal-text.js';
import { action, examples, printOut } from './common.js';

// `collect show`: a bundle's summary.md on the terminal.
export function registerShow(program: Command): void {
  program
    .command('show')
    .description("print a bundle's summary.md")
    .argument('<bundle>', 'a .tar.gz written by dropkit')
    .addHelpText('after', examples(['collect show 20261127T141502Z-node-case-4711.tar.gz | less']))
    .action(
      action(async (file: string) => {
        const { readSummary } = await import('../../bundles/verify.js');
        // The whole file, escaped: it comes from whoever sent the bundle.
        printOut(terminalText(await readSummary(file)));
        return EXIT.OK;
      }),
    );
}
