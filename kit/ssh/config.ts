// Public entry point for OpenSSH client configuration: parsing, Include-aware loading and
// per-host resolution. The implementation is split across the config-*.ts files.

export {
  type ConfigFileSystem,
  type LoadedSshConfig,
  type LoadSshConfigOptions,
  loadSshConfig,
  nodeConfigFileSystem,
  SYSTEM_SSH_CONFIG,
} from './config-load.js';
export type { ConfigOrigin, MatchCriterion } from './config-match.js';
export type {
  BlockCondition,
  HostPattern,
  ParsedConfig,
  SshConfigBlock,
  SshConfigOption,
} from './config-parse.js';
export { parseSshConfig } from './config-parse.js';
export {
  DEFAULT_GLOBAL_KNOWN_HOSTS,
  DEFAULT_USER_KNOWN_HOSTS,
  defaultResolveEnv,
  type ResolvedHost,
  type ResolveEnv,
  type ResolveOverrides,
  resolveHost,
} from './config-resolve.js';
export type { UnsupportedSetting } from './config-unsupported.js';
export type { StrictHostKeyChecking } from './config-values.js';
