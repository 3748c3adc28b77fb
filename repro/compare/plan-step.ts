import { DropkitError } from '../../kit/errors.js';
import type { Transport } from '../../kit/transport/types.js';
import { readHostState } from '../mitigations/host-io.js';
import { buildPlan, type Plan, type PlanHost } from '../mitigations/plan.js';
import type { Variant } from '../mitigations/types.js';
import type { RunRecord } from '../run/record.js';

// Reads the current settings on every host a variant targets and plans every
// change, before any is made. A plan with any problem, or a host with a
// restore still pending from an earlier run (its "current" values may be that
// run's changes), stops the comparison here: nothing has changed anywhere.

export async function planChanges(
  rec: RunRecord,
  transports: ReadonlyArray<Transport | undefined>,
  variants: readonly Variant[],
  signal: AbortSignal,
): Promise<{ plan: Plan; hosts: PlanHost[] }> {
  const targeted = [0, 1].filter((i) =>
    variants.some((v) => v.items.some((it) => it.hosts === 'both' || it.hosts === 'AB'[i])),
  );
  const hosts: PlanHost[] = rec.hosts.map((h) => {
    const facts = h.doctor?.facts;
    const info = h.transport?.info;
    return {
      spec: h.spec,
      role: h.role,
      canRoot: !!info?.isRoot || facts?.sudo === 'passwordless',
      user: info?.user ?? facts?.user ?? '',
      ...(h.dataIface ? { iface: h.dataIface } : {}),
    };
  });
  await Promise.all(
    targeted.map(async (i) => {
      const h = hosts[i]!;
      const t = transports[i];
      if (!h.canRoot || !h.iface || !t) return;
      h.state = await readHostState(t, { iface: h.iface, root: true, signal });
    }),
  );
  const plan = buildPlan(variants, hosts);
  const pending = targeted.flatMap((i) =>
    (hosts[i]!.state?.pending ?? []).map(
      (f) =>
        `${hosts[i]!.spec}: a restore is pending from an earlier run (${f}); run \`repro restore --node ${hosts[i]!.spec}\` first`,
    ),
  );
  const problems = [...pending, ...plan.problems];
  if (problems.length)
    throw new DropkitError({
      code: 'PREFLIGHT_FAILED',
      message: problems.join('; '),
      step: 'plan',
      ...hostOf(problems[0]!, hosts),
      hint: 'nothing was changed on any host',
    });
  return { plan, hosts };
}

// The host a problem line names: the longest spec it starts with (`vm:2222`
// and `vm` are two hosts).
function hostOf(line: string, hosts: readonly PlanHost[]): { host?: string } {
  const spec = hosts
    .map((h) => h.spec)
    .filter((x) => line.startsWith(`${x}: `))
    .sort((a, b) => b.length - a.length)[0];
  return spec ? { host: spec } : {};
}
