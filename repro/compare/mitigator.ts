import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import { packageVersion } from '../../kit/version.js';
import {
  type Guard,
  installRestore,
  removeRestore,
  startGuard,
  writeSettings,
} from '../mitigations/host-io.js';
import { restoreScript } from '../mitigations/host-script.js';
import { netnsId } from '../mitigations/host-state.js';
import {
  type LocalRecord,
  removeLocalRecord,
  writeLocalRecord,
} from '../mitigations/local-record.js';
import type { Plan, PlanHost } from '../mitigations/plan.js';
import { restoreScriptPath } from '../mitigations/restore-paths.js';
import type { HostRestore } from './record.js';

// A comparison's changes on its hosts, from the first to the last: the
// originals recorded twice (here and on the host), each variant applied and
// verified, everything restored and verified after each run and at the end.
// A host whose connection is lost restores itself through its guard.

interface HostSide {
  spec: string;
  t: Transport;
  record: LocalRecord;
  guard?: Guard;
  status: HostRestore['status'];
  detail?: string;
}

export interface Mitigator {
  // Before the first change: the local records, the host's restore scripts
  // and their guards.
  install(): Promise<void>;
  apply(variant: number): Promise<string>;
  // After each run: every host back to its originals, verified.
  restore(): Promise<void>;
  // At the end, whatever happened: restore again where reachable, remove the
  // scripts and records of hosts verified restored, stop the guards.
  finish(): Promise<HostRestore[]>;
}

export function mitigator(
  plan: Plan,
  hosts: readonly PlanHost[],
  transports: ReadonlyArray<Transport | undefined>,
  runId: string,
): Mitigator {
  const guards = new AbortController();
  const sides: Array<HostSide | undefined> = hosts.map((h, i) => {
    const originals = plan.originals[i]!;
    const t = transports[i];
    if (!originals.length || !t || !h.state) return undefined;
    const script = restoreScriptPath(runId, netnsId(h.state.netns));
    return {
      spec: h.spec,
      t,
      status: 'pending',
      record: {
        schema: 'dropkit.restore/1',
        runId,
        createdAt: new Date().toISOString(),
        host: h.spec,
        netns: h.state.netns,
        script,
        originals,
      },
    };
  });
  const live = () => sides.filter((s): s is HostSide => !!s);
  return {
    async install() {
      for (const s of live()) {
        await writeLocalRecord(s.record);
        await installRestore(s.t, s.record.script, hostScript(s.record));
        s.guard = startGuard(s.t, s.record.script, guards.signal);
        if (!(await withTimeout(s.guard.ready, 15_000)))
          throw new DropkitError({
            code: 'COMMAND_FAILED',
            message: 'the restore guard did not start',
            host: s.spec,
            step: 'restore script',
            hint: 'nothing was changed on this host; the guard restores the host if the connection is lost, and no change is made without it',
          });
      }
    },
    async apply(variant) {
      const changes = plan.variants[variant]!.changes;
      const lines: string[] = [];
      for (const s of live()) {
        const mine = changes.filter((c) => hosts[c.host]!.spec === s.spec);
        if (!mine.length) continue;
        s.status = 'pending';
        const values = mine.map((c) => ({
          label: c.change.setting,
          target: c.target,
          value: c.change.to,
        }));
        const bad = await writeSettings(s.t, values, 'apply');
        if (bad.length)
          throw new DropkitError({
            code: 'COMMAND_FAILED',
            message: `a setting did not take: ${bad.join('; ')}`,
            host: s.spec,
            step: 'apply',
            hint: 'the originals are restored next; check that the value is allowed on this host',
          });
        lines.push(
          ...mine.map((c) => `${c.change.setting} ${c.change.from} → ${c.change.to} on ${s.spec}`),
        );
      }
      return lines.join(', ');
    },
    async restore() {
      const problems: string[] = [];
      for (const s of live()) {
        const bad = await restoreHost(s);
        if (bad) problems.push(`${s.spec}: ${bad}`);
      }
      if (problems.length)
        throw new DropkitError({
          code: 'RESTORE_FAILED',
          message: problems.join('; '),
          step: 'restore',
          hint: 'no further variant runs; the restore scripts stay on the hosts for `repro restore`',
        });
    },
    async finish() {
      try {
        for (const s of live()) {
          await restoreHost(s);
          if (s.status === 'restored')
            await removeRestore(s.t, s.record.script).catch(() => undefined);
        }
      } finally {
        // Stopped in any case: a guard whose script is still there (a host
        // that failed to restore) runs it once more on its way out.
        guards.abort();
        await Promise.all(live().map((s) => s.guard?.ended));
      }
      for (const s of live()) {
        if (s.status === 'failed' && !(await restoreHost(s)))
          await removeRestore(s.t, s.record.script).catch(() => undefined);
        if (s.status === 'restored') await removeLocalRecord(s.record).catch(() => undefined);
      }
      return hosts.map((h, i) => {
        const s = sides[i];
        if (!s) return { host: h.spec, status: 'unchanged' as const };
        return {
          host: s.spec,
          status: s.status,
          ...(s.detail ? { detail: s.detail } : {}),
          ...(s.status === 'restored' ? {} : { script: s.record.script }),
        };
      });
    },
  };
}

function hostScript(r: LocalRecord): string {
  return restoreScript({
    runId: r.runId,
    netns: r.netns,
    generator: `dropkit ${packageVersion()}`,
    createdAt: r.createdAt,
    originals: r.originals,
  });
}

// Puts the originals back and reads them again; the problem, if any. A host
// out of reach stays pending: its guard restores it when its end of the
// connection closes, and `repro restore` verifies.
async function restoreHost(s: HostSide): Promise<string | undefined> {
  try {
    const bad = await writeSettings(s.t, s.record.originals, 'restore');
    if (bad.length) {
      s.status = 'failed';
      s.detail = bad.join('; ');
    } else {
      s.status = 'restored';
      delete s.detail;
    }
  } catch (e) {
    s.status = 'pending';
    s.detail = `not verified (${(e as Error).message}); the host restores itself when its end of the connection closes, and \`repro restore\` verifies`;
  }
  return s.status === 'restored' ? undefined : s.detail;
}

function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
