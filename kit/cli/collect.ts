#!/usr/bin/env node
import { Command } from 'commander';
import { registerBundle } from './bundle-commands.js';
import { action, addGlobalOptions, collect, examples, type GlobalOptions } from './common.js';
import { runDoctor } from './doctor-command.js';
import { registerSnapshot } from './snapshot-commands.js';

const program = addGlobalOptions(new Command('collect'))
  .description("Collect one node's packet-loss evidence, without traffic")
  .addHelpText(
    'after',
    examples([
      'collect doctor --node vmA',
      'collect snapshot --node vmA',
      'collect analyze before/ after/',
    ]),
  );

program
  .command('doctor')
  .description(
    'preflight hosts for a bundle: SSH, privilege, tools, counters, tracing, clock, addresses',
  )
  .option('--node <host>', '[user@]host[:port] or ssh config alias (repeatable)', collect, [])
  .option('--local', 'check this machine instead of a remote host')
  .option('--json', 'print the report as JSON')
  .addHelpText(
    'after',
    examples([
      'collect doctor --node vmA --node vmB',
      'collect doctor --local',
      'collect doctor --node admin@10.1.2.3:2222 --json',
    ]),
  )
  .action(
    action(async (opts: { node: string[]; local?: boolean; json?: boolean }, cmd: Command) => {
      const specs = [...(opts.local ? ['local'] : []), ...opts.node];
      if (!specs.length)
        cmd.error('error: give --node HOST (repeatable) or --local', { exitCode: 2 });
      return runDoctor(specs, 'bundle', cmd.optsWithGlobals() as GlobalOptions, !!opts.json);
    }),
  );

registerSnapshot(program);
registerBundle(program);

await program.parseAsync(process.argv);
