import { type Command, InvalidArgumentError } from 'commander';
import { EXIT } from '../exit-codes.js';
import { action, examples, type GlobalOptions, openOptions } from './common.js';

// `PROG completion bash|zsh`, generated from the program's own command tree,
// and the hidden `PROG __complete KIND` the script calls at <TAB> time for
// values that change: ssh host aliases (the same config files a connection
// reads, the lab's while it is up), profile and mitigation names.
export function registerCompletion(program: Command): void {
  const prog = program.name();
  program
    .command('completion')
    .description('print the shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh', (v: string) => {
      if (v !== 'bash' && v !== 'zsh') throw new InvalidArgumentError('bash or zsh');
      return v;
    })
    .addHelpText(
      'after',
      examples([
        `source <(${prog} completion bash)`,
        `${prog} completion bash > ~/.local/share/bash-completion/completions/${prog}`,
        `${prog} completion zsh > "\${fpath[1]}/_${prog}"`,
      ]),
    )
    .action(
      action(async (shell: 'bash' | 'zsh') => {
        const [{ commandTree }, { bashCompletion, zshCompletion }] = await Promise.all([
          import('../completion/tree.js'),
          import('../completion/bash.js'),
        ]);
        const render = shell === 'bash' ? bashCompletion : zshCompletion;
        process.stdout.write(render(prog, commandTree(program)));
        return EXIT.OK;
      }),
    );
  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .action(
      action(async (kind: string, _o: unknown, cmd: Command) => {
        const values = await completions(kind, cmd.optsWithGlobals() as GlobalOptions);
        if (values.length) process.stdout.write(`${values.join('\n')}\n`);
        return EXIT.OK;
      }),
    );
}

async function completions(kind: string, g: GlobalOptions): Promise<string[]> {
  if (kind === 'hosts') {
    const [{ loadConnectionConfig }, { hostAliases }] = await Promise.all([
      import('../ssh/config-load.js'),
      import('../ssh/host-aliases.js'),
    ]);
    const { configs } = await loadConnectionConfig(openOptions(g).sshConfig ?? []);
    return hostAliases(configs);
  }
  if (kind === 'profiles') {
    const { listProfiles } = await import('../../repro/profile.js');
    return (await listProfiles()).map((p) => p.name);
  }
  if (kind === 'variants') {
    const { CATALOG } = await import('../../repro/mitigations/catalog.js');
    return ['baseline', ...Object.keys(CATALOG)];
  }
  return [];
}
