import type { Command, Option } from 'commander';

// The command tree of a program as completion needs it: subcommands, flags,
// and what kind of value a flag takes. Read from the commander definitions
// themselves, so completion never drifts from the CLI. Pure.

// What to offer for a flag's value: computed by the program itself at <TAB>
// time (`__complete KIND`), files, directories, a flag's own fixed choices
// (`choices:linux networkd …`), or nothing.
export type ValueKind =
  | 'hosts'
  | 'profiles'
  | 'variants'
  | 'files'
  | 'dirs'
  | 'none'
  | `choices:${string}`;

export interface FlagSpec {
  flags: string[];
  // Undefined: a switch that takes no value.
  value?: ValueKind;
  // `--pair A B`: values until the next flag.
  variadic?: boolean;
}

export interface CommandSpec {
  // Words after the program name: [] for the program, ['lab', 'up'] …
  path: string[];
  subcommands: string[];
  flags: FlagSpec[];
  // Takes positional arguments (files, mostly: bundles, snapshots).
  takesArgs: boolean;
}

const VALUE_OF: Record<string, ValueKind> = {
  '--pair': 'hosts',
  '--node': 'hosts',
  '--profile': 'profiles',
  '--variant': 'variants',
  '--ssh-config': 'files',
  '--config': 'files',
  '--nodes-file': 'files',
  '--inventory': 'files',
  '--out': 'dirs',
};

function flagSpec(o: Option): FlagSpec {
  const flags = [o.short, o.long].filter((f): f is string => !!f);
  if (!o.required && !o.optional) return { flags };
  return {
    flags,
    value:
      VALUE_OF[o.long ?? ''] ??
      (o.argChoices?.length ? `choices:${o.argChoices.join(' ')}` : 'none'),
    ...(o.variadic ? { variadic: true } : {}),
  };
}

// Hidden commands (`__complete`) are not offered.
const visible = (c: Command) => !(c as unknown as { _hidden?: boolean })._hidden;

export function commandTree(program: Command): CommandSpec[] {
  const out: CommandSpec[] = [];
  const walk = (c: Command, path: string[], inherited: FlagSpec[]) => {
    const own = c.options.map(flagSpec);
    const flags = [...inherited, ...own, { flags: ['-h', '--help'] }];
    const subs = c.commands.filter(visible);
    out.push({
      path,
      subcommands: subs.map((s) => s.name()),
      flags,
      takesArgs: c.registeredArguments.length > 0,
    });
    // Global options are accepted after any subcommand (optsWithGlobals);
    // --version only on the program itself.
    const globals = path.length ? inherited : own.filter((f) => !f.flags.includes('--version'));
    for (const s of subs) walk(s, [...path, s.name()], globals);
  };
  walk(program, [], []);
  return out;
}
