// Public entry point for known_hosts handling: parsing, host-key checks, fingerprints and
// appending new entries. The implementation is split across the known-hosts-*.ts files.

export { appendKnownHost, loadKnownHosts } from './known-hosts-file.js';
export {
  checkHostKey,
  type FormatKnownHostsOptions,
  formatKnownHostsLine,
  type HostKeyCheck,
  hashHostName,
  knownHostsName,
  knownKeyTypesFor,
} from './known-hosts-match.js';
export {
  type KnownHostEntry,
  type KnownHostMarker,
  type KnownHostNames,
  type ParsedKnownHosts,
  parseKnownHosts,
} from './known-hosts-parse.js';
export { fingerprintSha256, keyTypeForAlgorithm, keyTypeOfBlob } from './ssh-key-blob.js';
