import { DropkitError } from '../../kit/errors.js';

// The errors of reading an untrusted archive or directory: one line that
// names the input and the limit or the damage, never a stack of stream
// internals.

const STEP = 'read';

export function limitError(label: string, problem: string): DropkitError {
  return new DropkitError({
    code: 'USAGE',
    message: `${label}: ${problem}: refused`,
    step: STEP,
    hint: 'a real capture is far below these limits; if this one is genuine, extract only the evidence files (sos_commands/networking, proc/net, raw/ …) into a directory and give that',
  });
}

export function abortedError(label: string): DropkitError {
  return new DropkitError({
    code: 'ABORTED',
    message: `${label}: reading interrupted`,
    step: STEP,
  });
}

export function inputError(label: string, problem: string, hint?: string): DropkitError {
  return new DropkitError({
    code: 'USAGE',
    message: `${label}: ${problem}`,
    step: STEP,
    ...(hint ? { hint } : {}),
  });
}

// What the xz decoder cannot read in a sound archive; xz itself can.
const XZ_UNSUPPORTED = new Set(['XZ_UNSUPPORTED_CHECK', 'XZ_MEMLIMIT_ERROR', 'XZ_OPTIONS_ERROR']);

// What a stream, zlib or xz error means for the person who gave the archive.
export function readError(label: string, e: unknown): DropkitError {
  if (e instanceof DropkitError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError') return abortedError(label);
  const msg = err instanceof Error ? err.message : String(e);
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return inputError(label, `not a readable gzip stream (${msg})`);
  // xz-decode.ts's: damage and truncation, or options the decoder lacks.
  if (typeof err?.code === 'string' && err.code.startsWith('XZ_'))
    return inputError(
      label,
      `not a readable xz stream (${msg})`,
      XZ_UNSUPPORTED.has(err.code)
        ? 'decompress it first (xz -dk FILE), then give the .tar'
        : undefined,
    );
  if (msg === 'Unexpected end of data') return inputError(label, 'the archive is truncated');
  if (/Invalid tar header|Header exceeds max size|Invalid header/.test(msg))
    return inputError(label, `not a tar archive, or a damaged one (${msg})`);
  return inputError(label, msg);
}
