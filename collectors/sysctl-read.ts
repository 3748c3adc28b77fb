import { shellQuote } from '../kit/shell-quote.js';
import { inInitNetnsSh, initNetnsSysctlCommand } from './init-netns.js';

// How the sysctl source reads its sysctls on the host, and why it could not.
//
// /proc/sys directly (`sysctl` may be absent in minimal images), in one awk:
// procfs sysctl files do not support the byte-wise reads of the shell's
// `read` (dash gets "3" for "300"), and a `cat` per file forks. awk stops at
// the first missing file, so only existing files are given.
//
// A network namespace other than the initial one (a container, a lab host)
// has no file for the global sysctls (netdev_max_backlog, the NAPI budget).
// netdev_max_backlog is on every kernel, so its absence tells the two apart.
// As root, the missing ones are read in the initial namespace, the way `repro
// compare` reads and sets them (init-netns.ts), after a comment line that
// says so; nothing is ever written. Without root, or when that namespace
// cannot be entered, the source fails with their names on its stderr, and
// hiddenSysctlsReason says why in words.

const NOT_VISIBLE = 'not visible in this network namespace:';
const NOT_ENTERED = 'as root: the initial network namespace could not be entered';
export const VIA_INIT_COMMENT = '# read in the initial network namespace (nsenter -n)';

// `dir` is /proc/sys on a host; tests point it elsewhere. It is written into
// the script as it is: plain path characters only.
export function sysctlReadSh(names: readonly string[], dir = '/proc/sys'): string {
  if (!/^\/[\w./-]*$/.test(dir)) throw new Error(`not a plain directory: ${dir}`);
  const paths = names.map((n) => `${dir}/${n.replaceAll('.', '/')}`).join(' ');
  const awk = `awk ${shellQuote(`{ n = FILENAME; sub("^${dir}/", "", n); gsub("/", ".", n); print n " = " $0 }`)}`;
  const witness = `${dir}/net/core/netdev_max_backlog`;
  // Run in the initial namespace: if the witness is still missing there, it
  // was not the initial one (PID 1 of a container's own PID namespace).
  const inInit = [
    `[ -e ${witness} ] || exit 3`,
    `f=''; for p; do [ -r "$p" ] && f="$f $p"; done`,
    `echo ${shellQuote(VIA_INIT_COMMENT)}`,
    `[ -z "$f" ] || ${awk} $f`,
  ].join('; ');
  return [
    `f=''; m=''; for p in ${paths}; do if [ -r "$p" ]; then f="$f $p"; else m="$m $p"; fi; done`,
    `[ -z "$f" ] || ${awk} $f`,
    `[ -n "$m" ] && [ ! -e ${witness} ] || exit 0`,
    `if [ "$(id -u)" = 0 ]; then`,
    inInitNetnsSh(`sh -c ${shellQuote(inInit)} sh $m`, 'exit 0'),
    `  echo '${NOT_ENTERED}' >&2`,
    'fi',
    `{ printf '%s' '${NOT_VISIBLE}'; for p in $m; do printf ' %s' \${p#${dir}/}; done; echo; } >&2`,
    'exit 3',
  ].join('\n');
}

// The failed section's reason, from the names on its stderr that are sysctls
// this source reads (a host may send anything there); undefined when the
// stderr is not ours.
export function hiddenSysctlsReason(stderr: string, known: readonly string[]): string | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(NOT_VISIBLE));
  if (line === undefined) return undefined;
  const names = [
    ...new Set(
      line
        .slice(NOT_VISIBLE.length)
        .split(/\s+/)
        .map((p) => p.replaceAll('/', '.'))
        .filter((n) => known.includes(n)),
    ),
  ];
  if (!names.length) return undefined;
  const what = names.length > 1 ? 'global sysctls' : 'global sysctl';
  if (stderr.includes(NOT_ENTERED))
    return `${what}, not visible in this network namespace, and the initial one could not be entered (nsenter -t 1 -n, nor kthreadd's): ${names.join(' ')}`;
  return `${what}, not visible in this network namespace; as root: ${initNetnsSysctlCommand(names)}`;
}
