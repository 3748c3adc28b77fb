import { execa } from 'execa';
import { labDown, labUp } from '../kit/lab/lab.js';
import { labIdFor } from '../kit/lab/layout.js';
import { netnsList } from '../kit/lab/netns.js';
import { canRunLab } from './lab-available.js';

// One lab for the whole suite, named "test" so a developer's own lab is never
// touched. Torn down even when tests fail; the teardown restores sysctls and
// RPS masks through the lab's own state file, then checks nothing is left.
const id = labIdFor('test');
let backlogBefore = '';

export async function setup(): Promise<void> {
  // CLI tests run the built, bundled CLIs (what ships), so build once up front.
  await execa('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (!canRunLab()) return;
  backlogBefore = (await execa('sysctl', ['-n', 'net.core.netdev_max_backlog'])).stdout.trim();
  await labDown({ id }).catch(() => undefined);
  await labUp({ id, hosts: 2 });
}

export async function teardown(): Promise<void> {
  if (!canRunLab()) return;
  await labDown({ id });
  const leftovers = (await netnsList()).filter((n) => n.startsWith(`${id.prefix}-`));
  const backlog = (await execa('sysctl', ['-n', 'net.core.netdev_max_backlog'])).stdout.trim();
  const sshd = (await execa('pgrep', ['-f', id.stateDir], { reject: false })).stdout.trim();
  const problems = [
    ...(leftovers.length ? [`namespaces left: ${leftovers.join(' ')}`] : []),
    ...(backlog !== backlogBefore
      ? [`netdev_max_backlog is ${backlog}, was ${backlogBefore}`]
      : []),
    ...(sshd ? [`processes left: ${sshd}`] : []),
  ];
  if (problems.length) throw new Error(`test lab teardown left a trace: ${problems.join('; ')}`);
}
