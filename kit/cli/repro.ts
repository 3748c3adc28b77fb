import { Command } from 'commander';
import { addGlobalOptions, examples, runProgram } from './common.js';
import { registerCompare } from './compare-command.js';
import { registerCompletion } from './completion-command.js';
import { registerReproDoctor } from './doctor-command.js';
import { registerLab } from './lab-command.js';
import { registerMitigate } from './mitigate-command.js';
import { registerProfiles } from './profiles-command.js';
import { registerRestore } from './restore-command.js';
import { registerRun } from './run-command.js';

// `repro`: the two-host reproduction, the lab and the pair preflight. Built
// anew for each run, so main() can be called more than once in one process.
function program(): Command {
  const p = addGlobalOptions(new Command('repro'))
    .description(
      'Reproduce packet loss between two hosts and collect the evidence a cloud vendor needs',
    )
    .addHelpText(
      'after',
      examples([
        'repro lab up',
        'repro doctor --pair vmA vmB',
        'repro doctor --pair admin@10.0.0.4 admin@10.0.0.5 --json',
      ]),
    );
  registerReproDoctor(p);
  registerRun(p);
  registerCompare(p);
  registerMitigate(p);
  registerRestore(p);
  registerProfiles(p);
  registerLab(p);
  registerCompletion(p);
  return p;
}

// argv as process.argv gives it (node, script, args…); returns the exit code.
export function main(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv);
}
