// Where a host keeps its restore scripts: root's, on a tmpfs that a reboot
// clears, as it clears what they restore. A script is named after the run and
// the network namespace it belongs to (`<run>-<netns inode>.sh`): lab hosts
// and containers share /run, and one must never restore another's settings.

export const RESTORE_DIR = '/run/dropkit/restore';

export function restoreScriptPath(runId: string, netnsId: string): string {
  return `${RESTORE_DIR}/${runId}-${netnsId}.sh`;
}

// What the host's guard writes when it restored by itself (the connection was lost).
export function restoreLogPath(scriptPath: string): string {
  return scriptPath.replace(/\.sh$/, '.log');
}
