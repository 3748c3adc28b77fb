import type { Command } from 'commander';
import { DropkitError } from '../errors.js';
import { currentLabId } from '../lab/current.js';
import { readState } from '../lab/state.js';
import { action, examples, nonNegativeInt, positiveInt, printJson } from './common.js';

const say = (json: boolean) => (l: string) => {
  if (!json) process.stderr.write(`${l}\n`);
};

// The lab's process tooling (execa, sshd, netns) loads only for lab commands:
// every other `repro` command would pay for it at startup.
const loadLab = () => import('../lab/lab.js');

// `repro lab` and its subcommands, in the order `repro lab --help` lists them.
export function registerLab(program: Command): void {
  const lab = program
    .command('lab')
    .description(
      'a two-or-more-VM testbed on this machine: network namespaces, real sshd, iperf3 (root)',
    )
    .addHelpText(
      'after',
      examples([
        'repro lab up',
        'repro lab status --json',
        'repro lab impair --backlog 10 --rps-to-cpu 1',
        'repro lab down',
      ]),
    );
  registerLabUp(lab);
  registerLabDown(lab);
  registerLabStatus(lab);
  registerLabImpair(lab);
}

function registerLabUp(lab: Command): void {
  lab
    .command('up')
    .description('create the lab hosts (idempotent)')
    .option('--hosts <n>', 'number of hosts (2-64): vmA…vmZ, then vm27…vm64', positiveInt)
    .option(
      '--pods <n>',
      'pods per host, each a namespace behind a host-side lxc… veth, as on a Kubernetes node (0-250)',
      nonNegativeInt,
    )
    .option('--json', 'print the lab status as JSON')
    .addHelpText(
      'after',
      examples([
        'repro lab up',
        'repro lab up --hosts 3',
        'repro lab up --hosts 64',
        'repro lab up --pods 100',
      ]),
    )
    .action(
      action(async (opts: { hosts?: number; pods?: number; json?: boolean }) => {
        const { labUp } = await loadLab();
        const status = await labUp({
          ...(opts.hosts ? { hosts: opts.hosts } : {}),
          ...(opts.pods !== undefined ? { pods: opts.pods } : {}),
          log: say(!!opts.json),
        });
        if (opts.json) printJson(status);
        else {
          process.stdout.write(`lab "${status.name}" is up; ssh config: ${status.sshConfig}\n`);
          process.stdout.write(
            `hosts: ${status.nodesFile} (nodes file), ${status.inventory} (Ansible inventory)\n`,
          );
          for (const h of status.hosts)
            process.stdout.write(
              `  ${h.alias}  ${h.address}  ${h.hostname}${h.pods ? `  ${h.pods} pods in ${h.podRange}` : ''}\n`,
            );
          process.stdout.write(`try: repro doctor --pair vmA vmB\n`);
        }
        return 0;
      }),
    );
}

function registerLabDown(lab: Command): void {
  lab
    .command('down')
    .description(
      'remove every namespace, sshd and interface, and restore every sysctl and RPS mask the lab changed',
    )
    .addHelpText('after', examples(['repro lab down']))
    .action(
      action(async () => {
        const { labDown } = await loadLab();
        const r = await labDown({ log: say(false) });
        if (!r.removed) process.stdout.write('lab is not up; nothing to do\n');
        return 0;
      }),
    );
}

function registerLabStatus(lab: Command): void {
  lab
    .command('status')
    .description('show the lab hosts and any impairment in force')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['repro lab status']))
    .action(
      action(async (opts: { json?: boolean }) => {
        const { labStatus } = await loadLab();
        const s = await labStatus();
        if (opts.json) printJson(s);
        else if (!s.hosts.length)
          process.stdout.write(`lab "${s.name}" is down (start it with: repro lab up)\n`);
        else {
          process.stdout.write(
            `lab "${s.name}" is ${s.up ? 'up' : 'DEGRADED (run `repro lab up` to rebuild)'}\n`,
          );
          for (const h of s.hosts)
            process.stdout.write(
              `  ${h.alias}  ${h.address}  ${h.hostname}  netns ${h.netns ? 'ok' : 'MISSING'}  sshd ${h.sshd ? 'running' : 'STOPPED'}${h.podRange ? `  pods ${h.pods} in ${h.podRange}` : ''}\n`,
            );
          const imp = [
            ...Object.entries(s.impairments.sysctls).map(([k, v]) => `${k} (original ${v})`),
            ...Object.entries(s.impairments.rps).map(([k, v]) => `${k} (original ${v})`),
          ];
          process.stdout.write(imp.length ? `impaired: ${imp.join('; ')}\n` : 'no impairment\n');
        }
        return s.hosts.length && !s.up ? 1 : 0;
      }),
    );
}

interface ImpairOpts {
  backlog?: number;
  rpsToCpu?: number;
  host?: string[];
  reset?: boolean;
}

// `--host vmB --host vmC` and `--host vmB,vmC` both add to the list.
const addHosts = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean),
];

function registerLabImpair(lab: Command): void {
  lab
    .command('impair')
    .description(
      'reproduce host backlog drops: shrink net.core.netdev_max_backlog and steer RPS on the receivers',
    )
    .option(
      '--backlog <n>',
      'set net.core.netdev_max_backlog (machine-wide: namespaces share the kernel)',
      positiveInt,
    )
    .option(
      '--rps-to-cpu <cpu>',
      "steer each receiver's eth0 RPS to this CPU (per host)",
      nonNegativeInt,
    )
    .option(
      '--host <alias,...>',
      'the receiving hosts, repeatable or comma-separated (default: the second host, vmB)',
      addHosts,
    )
    .option('--reset', 'restore every value the lab changed')
    .addHelpText(
      'after',
      examples([
        'repro lab impair --backlog 10 --rps-to-cpu 1',
        'repro lab impair --rps-to-cpu 1 --host vmB,vmC,vm40',
        'repro lab impair --reset',
      ]),
    )
    .action(action(runLabImpair));
}

async function runLabImpair(opts: ImpairOpts): Promise<number> {
  const state = await readState(currentLabId().stateDir);
  if (!state)
    throw new DropkitError({
      code: 'LAB_NOT_UP',
      message: 'the lab is not up',
      step: 'lab impair',
      hint: 'run `repro lab up` first',
    });
  const { impair, resetImpairments } = await import('../lab/impair.js');
  if (opts.reset) await resetImpairments(state, say(false));
  else if (opts.backlog === undefined && opts.rpsToCpu === undefined) {
    throw new DropkitError({
      code: 'USAGE',
      message: 'give --backlog, --rps-to-cpu or --reset',
      step: 'lab impair',
    });
  } else
    await impair(
      state,
      {
        ...(opts.backlog !== undefined ? { backlog: opts.backlog } : {}),
        ...(opts.rpsToCpu !== undefined ? { rpsToCpu: opts.rpsToCpu } : {}),
        ...(opts.host ? { hosts: opts.host } : {}),
      },
      say(false),
    );
  return 0;
}
