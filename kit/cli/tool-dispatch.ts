// The single-file executable holds both tools. Which one runs: the name it
// was started by (a `collect` or `repro` symlink to it, as busybox does), or
// else its first argument (`dropkit collect bundle --local`).

export const TOOLS = ['collect', 'repro'] as const;
export type Tool = (typeof TOOLS)[number];

export type Dispatch =
  | { tool: Tool; args: string[] }
  | { show: 'version' | 'help' }
  | { error: string };

function isTool(s: string | undefined): s is Tool {
  return s !== undefined && (TOOLS as readonly string[]).includes(s);
}

// invokedAs: the base name of argv[0]; args: the arguments after it.
export function dispatch(invokedAs: string, args: readonly string[]): Dispatch {
  if (isTool(invokedAs)) return { tool: invokedAs, args: [...args] };
  const [first, ...rest] = args;
  if (isTool(first)) return { tool: first, args: rest };
  if (first === '-V' || first === '--version') return { show: 'version' };
  if (first === undefined || first === '-h' || first === '--help' || first === 'help')
    return { show: 'help' };
  return { error: `unknown tool "${first}": the first argument is collect or repro` };
}

export function dispatchHelp(name: string): string {
  return [
    `Usage: ${name} collect|repro [command] [options]`,
    '',
    'dropkit, as one file: both tools, run by their name.',
    '',
    "  collect   collect one node's packet-loss evidence, without traffic",
    '  repro     reproduce packet loss between two hosts, and prove the fix',
    '',
    `A symlink named collect or repro to this file runs that tool directly`,
    `(completion then works as for the npm install).`,
    '',
    'Examples:',
    `  ${name} collect snapshot --local`,
    `  ${name} repro doctor --pair vmA vmB`,
    `  ${name} collect completion bash`,
    '',
  ].join('\n');
}
