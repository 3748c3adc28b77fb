import { asDropkitError, DropkitError, type ErrorCode } from '../errors.js';

// Errors of a target reached through a shared jump host: the target is the
// host (a fleet reports per target), and the message names the jump host, the
// one thing every target behind it has in common. Pure.

const LOST_HINT =
  'the jump host may have rebooted or dropped the connection; hosts not behind it are unaffected, so run again for these once it is back';

/** The jump host's connection ended: before the target's handshake, during it, or later. */
export function jumpLostError(
  target: string,
  hop: string,
  reason: Error | undefined,
  code: Extract<ErrorCode, 'CONNECTION_LOST' | 'CONNECT_FAILED'>,
): DropkitError {
  return new DropkitError({
    code,
    message: `jump host "${hop}" was lost${reason ? `: ${reason.message}` : ''}`,
    host: target,
    step: 'proxy jump',
    hint: LOST_HINT,
    cause: reason,
  });
}

/** The jump host could not be reached at all: its own error, for each target behind it. */
export function jumpFailedError(target: string, hop: string, e: unknown): DropkitError {
  const why = asDropkitError(e, { code: 'CONNECT_FAILED', host: hop, step: 'proxy jump' });
  return new DropkitError({
    // Its own code: a changed host key or a refused login stays what it is.
    code: why.code,
    message: `jump host "${hop}": ${why.step && why.step !== 'proxy jump' ? `${why.step}: ` : ''}${why.message}`,
    host: target,
    step: 'proxy jump',
    hint: why.hint,
    cause: why,
  });
}
