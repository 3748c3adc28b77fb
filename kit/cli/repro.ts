#!/usr/bin/env node
import { Command } from 'commander';
import { action, addGlobalOptions, examples, type GlobalOptions } from './common.js';
import { runDoctor } from './doctor-command.js';
import { registerLab } from './lab-commands.js';
import { registerRun } from './repro-run-command.js';

const program = addGlobalOptions(new Command('repro'))
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

program
  .command('doctor')
  .description(
    'preflight both hosts of a pair: SSH, privilege, tools, counters, tracing, clock, addresses',
  )
  .requiredOption(
    '--pair <hosts...>',
    'the sender and the receiver: two [user@]host[:port] or ssh config aliases',
  )
  .option('--json', 'print the report as JSON')
  .addHelpText(
    'after',
    examples([
      'repro doctor --pair vmA vmB',
      'repro doctor --pair vmA vmB --json',
      'repro doctor --pair azureuser@vm1 azureuser@vm2 --ssh-config ./ssh_config',
    ]),
  )
  .action(
    action(async (opts: { pair: string[]; json?: boolean }, cmd: Command) => {
      if (opts.pair.length !== 2) {
        cmd.error('error: --pair takes exactly two hosts: the sender and the receiver', {
          exitCode: 2,
        });
      }
      return runDoctor(opts.pair, 'repro', cmd.optsWithGlobals() as GlobalOptions, !!opts.json);
    }),
  );

registerRun(program);
registerLab(program);

await program.parseAsync(process.argv);
