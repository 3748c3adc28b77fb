import { maskBits } from '../../kit/cpu-mask.js';
import { DropkitError } from '../../kit/errors.js';
import { shellQuote } from '../../kit/shell-quote.js';
import { type ExecResult, stdoutText, type Transport } from '../../kit/transport/types.js';
import { applyScript, mismatches, parseReadback } from './host-script.js';
import { type HostState, hostStateScript, parseHostState } from './host-state.js';
import { RESTORE_DIR, restoreLogPath } from './restore-paths.js';
import { isCpuMask, type SettingValue } from './settings.js';

// The round trips that read, change and restore settings on one host. Every
// write runs as root (sudo -n when the login is not root); the plan has
// already refused a host where that is not allowed.

export async function readHostState(
  t: Transport,
  o: { iface: string; root: boolean; signal: AbortSignal },
): Promise<HostState> {
  const r = await t.exec({
    script: hostStateScript(o.iface),
    root: o.root,
    step: 'mitigation plan',
    timeoutMs: 15_000,
    signal: o.signal,
  });
  return parseHostState(stdoutText(r));
}

// The restore script, written before the first change: root's, 0700, in a
// directory anyone may list (so that `repro run` and doctor can say a
// restore is pending without root), written whole or not at all.
const INSTALL = `umask 022
mkdir -p ${RESTORE_DIR} || exit 1
[ -d ${RESTORE_DIR} ] && [ ! -L ${RESTORE_DIR} ] || exit 1
umask 077
cat > "$1.tmp" && chmod 700 "$1.tmp" && mv -f "$1.tmp" "$1"`;

export async function installRestore(t: Transport, path: string, text: string): Promise<void> {
  const r = await t.exec({
    argv: ['sh', '-c', INSTALL, 'sh', path],
    stdin: text,
    root: true,
    step: 'restore script',
    timeoutMs: 15_000,
  });
  if (r.exitCode !== 0)
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: `could not write the restore script ${path}: ${r.stderr.trim().slice(0, 200) || `exit ${r.exitCode}`}`,
      host: t.info.name,
      step: 'restore script',
      hint: 'nothing was changed on this host',
    });
}

// Tied to the connection: when its stdin closes without the script having
// been run and removed (the connection was lost, the CLI was killed), the
// host restores itself and logs what it did next to the script. It says
// `ready` once its trap is set: no change is made before that.
export function guardScript(path: string): string {
  return `s=${shellQuote(path)}; l=${shellQuote(restoreLogPath(path))}
trap 'kill $k 2>/dev/null; if [ -f "$s" ]; then sh "$s" > "$l" 2>&1 && rm -f "$s"; fi; exit 0' TERM INT HUP
echo ready
sleep 2147483647 & k=$!
wait $k
`;
}

export interface Guard {
  // True once the guard said it is ready; false if it ended first.
  ready: Promise<boolean>;
  ended: Promise<ExecResult | undefined>;
}

export function startGuard(t: Transport, path: string, release: AbortSignal): Guard {
  let said = '';
  let onReady: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((r) => {
    onReady = r;
  });
  const ended = t
    .exec({
      script: guardScript(path),
      root: true,
      tied: true,
      release,
      step: 'restore guard',
      onStdout: (c) => {
        said = `${said}${c.toString('utf8')}`.slice(-64);
        if (said.includes('ready\n')) onReady(true);
      },
    })
    .then(
      (r) => r,
      () => undefined,
    )
    .finally(() => onReady(false));
  return { ready, ended };
}

// The script, and the log its guard left if it ran it.
export async function removeRestore(t: Transport, path: string): Promise<void> {
  await t.exec({
    argv: ['rm', '-f', path, restoreLogPath(path)],
    root: true,
    step: 'restore script',
    timeoutMs: 15_000,
  });
}

// Writes settings (a variant's values, or the originals) and checks what
// reads back: the problems, one per setting, or none.
export async function writeSettings(
  t: Transport,
  settings: readonly SettingValue[],
  step: string,
): Promise<string[]> {
  if (!settings.length) return [];
  const r = await t.exec({ script: applyScript(settings), root: true, step, timeoutMs: 30_000 });
  const bad = mismatches(settings, parseReadback(stdoutText(r)), sameValue);
  if (!bad.length && r.exitCode !== 0 && r.exitCode !== 1)
    bad.push(`the script ended with exit ${r.exitCode}: ${r.stderr.trim().slice(0, 200)}`);
  return bad;
}

function sameValue(a: string, b: string): boolean {
  return a === b || (isCpuMask(a) && isCpuMask(b) && maskBits(a) === maskBits(b));
}
