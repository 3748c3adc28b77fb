import { Command } from 'commander';
import { registerBundle } from './bundle-commands.js';
import { addGlobalOptions, examples, runProgram } from './common.js';
import { registerCollectDoctor } from './doctor-command.js';
import { registerSnapshot } from './snapshot-commands.js';

// `collect`: one node's evidence, without traffic. Built anew for each run,
// so main() can be called more than once in one process (tests).
function program(): Command {
  const p = addGlobalOptions(new Command('collect'))
    .description("Collect one node's packet-loss evidence, without traffic")
    .addHelpText(
      'after',
      examples([
        'collect doctor --node vmA',
        'collect snapshot --node vmA',
        'collect analyze before/ after/',
      ]),
    );
  registerCollectDoctor(p);
  registerSnapshot(p);
  registerBundle(p);
  return p;
}

// argv as process.argv gives it (node, script, args…); returns the exit code.
export function main(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv);
}
