import type { Command } from 'commander';
import type { Purpose } from '../doctor/checks.js';
import type { DoctorReport } from '../doctor/doctor.js';
import { EXIT } from '../exit-codes.js';
import {
  action,
  collect,
  examples,
  type GlobalOptions,
  interrupt,
  openOptions,
  printJson,
  printOut,
} from './common.js';
import { formatDoctor } from './format-doctor.js';

// Connection setup and checks run in parallel across hosts.
export async function doctorReport(
  specs: string[],
  purpose: Purpose,
  g: GlobalOptions,
): Promise<DoctorReport> {
  // The checks and the transports load when a doctor runs, not at every
  // `collect` or `repro` start.
  const [{ diagnose, failedConnection, summarize }, { openAll, openTransport }] = await Promise.all(
    [import('../doctor/doctor.js'), import('../transport/open.js')],
  );
  const opts = openOptions(g);
  const opened = await openAll(specs, (spec) => openTransport(spec, opts));
  try {
    const hosts = await Promise.all(
      opened.map((o) =>
        'transport' in o
          ? diagnose(o.transport, purpose, interrupt.signal)
          : Promise.resolve(failedConnection(o.spec, o.error)),
      ),
    );
    return summarize(purpose, hosts);
  } finally {
    await Promise.all(opened.map((o) => ('transport' in o ? o.transport.close() : undefined)));
  }
}

export async function runDoctor(
  specs: string[],
  purpose: Purpose,
  g: GlobalOptions,
  json: boolean,
): Promise<number> {
  const report = await doctorReport(specs, purpose, g);
  if (json) printJson(report);
  else printOut(formatDoctor(report));
  if (report.ok) return EXIT.OK;
  const connectionOnly = report.hosts.every((h) => h.ok || h.error);
  return connectionOnly ? EXIT.CONNECTION : EXIT.PREFLIGHT;
}

// `collect doctor`: the checks for a bundle (iperf3 is not required).
export function registerCollectDoctor(program: Command): void {
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
}

// `repro doctor`: the checks for a reproduction, both hosts of the pair.
export function registerReproDoctor(program: Command): void {
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
}
