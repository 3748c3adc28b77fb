// Exit codes are part of the CLI contract and documented in the README.
export const EXIT = {
  OK: 0,
  // An unexpected failure, or a command that could not do its job.
  ERROR: 1,
  // Bad flags or arguments.
  USAGE: 2,
  // The output was written but is incomplete (a host or source failed).
  PARTIAL: 3,
  // A preflight (doctor) found something that blocks a reproduction or bundle.
  PREFLIGHT: 4,
  // Connection, authentication or host key problem with a host.
  CONNECTION: 5,
  // The leak scan found a sensitive value in the archive: no bundle written.
  LEAK: 6,
  // `collect verify`: the bundle is damaged, altered or leaks.
  INVALID: 7,
  // A setting changed on a host (repro compare) could not be verified back to
  // its original: `repro restore` restores and checks it.
  RESTORE: 8,
  // Interrupted by SIGINT or SIGTERM (128 + SIGINT).
  INTERRUPTED: 130,
} as const;

import type { ErrorCode } from './errors.js';

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'UNKNOWN_HOST_ALIAS':
      return EXIT.USAGE;
    case 'CONNECT_TIMEOUT':
    case 'CONNECT_FAILED':
    case 'AUTH_FAILED':
    case 'HOST_KEY_UNKNOWN':
    case 'HOST_KEY_CHANGED':
    case 'HOST_KEY_REVOKED':
    case 'CONNECTION_LOST':
      return EXIT.CONNECTION;
    case 'PREFLIGHT_FAILED':
      return EXIT.PREFLIGHT;
    case 'ABORTED':
      return EXIT.INTERRUPTED;
    case 'LEAK_DETECTED':
      return EXIT.LEAK;
    case 'BUNDLE_INVALID':
      return EXIT.INVALID;
    case 'RESTORE_FAILED':
      return EXIT.RESTORE;
    default:
      return EXIT.ERROR;
  }
}
