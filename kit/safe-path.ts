import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DropkitError, type ErrorCode } from './errors.js';

// The one rule for every path dropkit writes, on disk or into a tar: a
// relative, forward-slashed path whose segments are real names. Hosts name
// things that end up in paths (interfaces, the host itself), and a host may
// be hostile, so nothing it sends may climb out of the directory or archive.

// Control characters and DEL never appear in a path we mean to write; in a
// name shown on a terminal they could rewrite the screen.
const CONTROL = /[\u0000-\u001f\u007f]/;

// Why a relative path is unsafe, or undefined when it is safe. Pure.
export function unsafeReason(rel: string): string | undefined {
  if (rel.length === 0) return 'it is empty';
  if (rel.startsWith('/') || isAbsolute(rel)) return 'it is absolute';
  if (CONTROL.test(rel)) return 'it holds a control character or NUL';
  for (const s of rel.split('/')) {
    if (s === '') return 'it has an empty segment (// or a trailing /)';
    if (s === '.' || s === '..') return `it has a "${s}" segment`;
  }
  return undefined;
}

// Paths inside a bundle, or under a snapshot directory: relative,
// forward-slashed, and never escaping their root.
export function isSafeRelPath(rel: string): boolean {
  return unsafeReason(rel) === undefined;
}

export interface PathContext {
  code?: ErrorCode;
  step?: string;
  host?: string;
}

// The absolute path of `rel` under `root`; throws unless `rel` is safe and
// the result stays under root (a second check, on the resolved path, so the
// rule above is never the only thing standing between a host and the disk).
export function resolveUnder(root: string, rel: string, ctx: PathContext = {}): string {
  const why = unsafeReason(rel);
  const base = resolve(root);
  const full = resolve(base, rel);
  const back = relative(base, full);
  if (why || back === '' || back.startsWith(`..${sep}`) || back === '..' || isAbsolute(back)) {
    throw new DropkitError({
      code: ctx.code ?? 'INTERNAL',
      message: `refusing to write ${JSON.stringify(rel)} under ${base}: ${why ?? 'it resolves outside that directory'}`,
      ...(ctx.step ? { step: ctx.step } : {}),
      ...(ctx.host ? { host: ctx.host } : {}),
      hint: 'nothing was written there; a name sent by a host may be forged: please report this',
    });
  }
  return full;
}
