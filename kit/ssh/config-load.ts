// Loads ssh_config files and splices `Include`d files into them. The file system is a small
// injectable interface so the include logic stays testable without touching disk; the
// default implementation below is the only code here that does I/O.

import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ParsedConfig, parseSshConfig, type SshConfigBlock } from './config-parse.js';
import { expandTilde } from './config-tokens.js';
import { matchPattern } from './patterns.js';

export interface ConfigFileSystem {
  /** File contents, or undefined when the file does not exist. Other failures throw. */
  readFile(file: string): Promise<string | undefined>;
  /** Names in a directory, or [] when it does not exist. Other failures throw. */
  readDir(dir: string): Promise<string[]>;
}

export interface LoadSshConfigOptions {
  home?: string;
  fs?: ConfigFileSystem;
  /**
   * The system-wide file (OpenSSH: /etc/ssh/ssh_config), read after `paths` so that any
   * user file wins. Its relative Includes, and those of the files it includes, are
   * anchored at its own directory, which for the real file is OpenSSH's /etc/ssh.
   */
  systemConfig?: string;
}

export interface LoadedSshConfig {
  /** One per input path that exists, in the given order, with includes expanded. */
  configs: ParsedConfig[];
  /** Every warning, including the per-file ones also found in `configs[i].warnings`. */
  warnings: string[];
}

/** OpenSSH's system-wide client config (_PATH_HOST_CONFIG_FILE), read after the user's. */
export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

// Same limit as OpenSSH's READCONF_MAX_DEPTH; also what stops include cycles.
const MAX_INCLUDE_DEPTH = 16;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export const nodeConfigFileSystem: ConfigFileSystem = {
  async readFile(file) {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  async readDir(dir) {
    try {
      return await readdir(dir);
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
  },
};

interface LoadContext {
  home: string;
  fs: ConfigFileSystem;
  warnings: string[];
  /** Where relative Include paths start: ~/.ssh for user files (ssh_config(5)). */
  includeBase: string;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Turns an Include argument into file names. Relative paths are anchored at ~/.ssh for user
 * files and the system config's directory for system ones (ssh_config(5)); wildcards are
 * honoured in the last path component only, sorted like glob(3), and a pattern that
 * matches nothing is silent.
 */
async function includeTargets(arg: string, ctx: LoadContext, where: string): Promise<string[]> {
  const expanded = expandTilde(arg, ctx.home);
  const full = path.isAbsolute(expanded) ? expanded : path.join(ctx.includeBase, expanded);
  const dir = path.dirname(full);
  const name = path.basename(full);
  if (/[*?]/.test(dir)) {
    ctx.warnings.push(`${where}: Include "${arg}": wildcards are only supported in the file name`);
    return [];
  }
  if (!/[*?]/.test(name)) return [full];
  let names: string[];
  try {
    names = await ctx.fs.readDir(dir);
  } catch (err) {
    ctx.warnings.push(`${where}: Include "${arg}": cannot list ${dir}: ${describe(err)}`);
    return [];
  }
  // glob(3) never lets a wildcard match a leading dot.
  return names
    .filter((n) => matchPattern(n, name) && (!n.startsWith('.') || name.startsWith('.')))
    .sort()
    .map((n) => path.join(dir, n));
}

async function loadFile(
  file: string,
  depth: number,
  ctx: LoadContext,
): Promise<SshConfigBlock[] | undefined> {
  let text: string | undefined;
  try {
    text = await ctx.fs.readFile(file);
  } catch (err) {
    ctx.warnings.push(`${file}: cannot read: ${describe(err)}`);
    return undefined;
  }
  if (text === undefined) return undefined;
  const parsed = parseSshConfig(text, file);
  ctx.warnings.push(...parsed.warnings);

  const out: SshConfigBlock[] = [];
  for (const block of parsed.blocks) {
    // An Include splits its block: options before it, the included blocks (which only
    // apply where the including block applies), then the remaining options.
    let segment: SshConfigBlock | undefined = { ...block, options: [] };
    out.push(segment);
    for (const opt of block.options) {
      if (opt.keyword === 'include') {
        out.push(...(await expandInclude(opt.args, block, file, opt.line, depth, ctx)));
        segment = undefined;
        continue;
      }
      if (segment === undefined) {
        segment = { ...block, options: [] };
        out.push(segment);
      }
      segment.options.push(opt);
    }
  }
  return out;
}

async function expandInclude(
  args: string[],
  parent: SshConfigBlock,
  file: string,
  line: number,
  depth: number,
  ctx: LoadContext,
): Promise<SshConfigBlock[]> {
  const where = `${file}:${line}`;
  const out: SshConfigBlock[] = [];
  for (const arg of args) {
    for (const target of await includeTargets(arg, ctx, where)) {
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        ctx.warnings.push(`${where}: Include "${target}" nested too deeply (loop?)`);
        continue;
      }
      for (const child of (await loadFile(target, depth + 1, ctx)) ?? []) {
        out.push({ ...child, conditions: [...parent.conditions, ...child.conditions] });
      }
    }
  }
  return out;
}

/**
 * Reads the given config files in precedence order (e.g. --ssh-config files, then
 * ~/.ssh/config), then `options.systemConfig`. Missing files are skipped silently;
 * unreadable ones produce a warning. Never throws for file problems.
 */
export async function loadSshConfig(
  paths: string[],
  options: LoadSshConfigOptions = {},
): Promise<LoadedSshConfig> {
  const home = options.home ?? os.homedir();
  const fs = options.fs ?? nodeConfigFileSystem;
  const userBase = path.join(home, '.ssh');
  const files = paths.map((p) => ({ file: expandTilde(p, home), includeBase: userBase }));
  if (options.systemConfig !== undefined) {
    const file = expandTilde(options.systemConfig, home);
    files.push({ file, includeBase: path.dirname(file) });
  }
  const warnings: string[] = [];
  const configs: ParsedConfig[] = [];
  for (const { file, includeBase } of files) {
    const ctx: LoadContext = { home, fs, warnings: [], includeBase };
    const blocks = await loadFile(file, 0, ctx);
    warnings.push(...ctx.warnings);
    if (blocks !== undefined) configs.push({ blocks, warnings: ctx.warnings });
  }
  return { configs, warnings };
}

/**
 * Every config a connection reads, as ssh does: the given files (--ssh-config,
 * the lab's), then ~/.ssh/config, then /etc/ssh/ssh_config. For the commands
 * that list hosts from them (completion, `collect scan --ssh-config-hosts`).
 */
export function loadConnectionConfig(files: readonly string[]): Promise<LoadedSshConfig> {
  return loadSshConfig([...files, path.join(os.homedir(), '.ssh', 'config')], {
    systemConfig: SYSTEM_SSH_CONFIG,
  });
}
