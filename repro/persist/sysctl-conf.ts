import type { CheckedPlan } from './checked-plan.js';
import { hashComments, MARK, relative, SYSCTL_PATH } from './text.js';
import type { GeneratedFile, SysctlFix } from './types.js';

// /etc/sysctl.d/*.conf: `key = value` lines and `#` comments, read at boot by
// systemd-sysctl and by `sysctl --system`
// (https://man7.org/linux/man-pages/man5/sysctl.d.5.html). The 90- prefix
// sorts after the distribution's own files, so these values win over theirs.

export function sysctlLines(sysctls: readonly SysctlFix[]): string[] {
  return sysctls.flatMap((s) => [
    `# ${s.because || 'dropkit diagnosis'}${s.current === undefined ? '' : ` (was ${s.current})`}`,
    `${s.name} = ${s.target}`,
  ]);
}

export function sysctlConf(plan: CheckedPlan): GeneratedFile {
  const header = hashComments([
    `${MARK}: the sysctls its diagnosis asked for.`,
    `Remove it with rollback.sh, or by hand: rm ${SYSCTL_PATH}, then sysctl -w each key back.`,
  ]);
  return {
    path: relative(SYSCTL_PATH),
    installTo: SYSCTL_PATH,
    content: `${header}\n${sysctlLines(plan.sysctls).join('\n')}\n`,
    what: 'sets the sysctls at every boot (systemd-sysctl reads /etc/sysctl.d)',
    apply: [`install -m 0644 ${relative(SYSCTL_PATH)} ${SYSCTL_PATH}`, `sysctl -p ${SYSCTL_PATH}`],
    rollback: ['sh rollback.sh'],
  };
}
