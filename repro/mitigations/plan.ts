import { CATALOG } from './catalog.js';
import type { HostState } from './host-state.js';
import { type SettingValue, type Target, viaText } from './settings.js';
import type { SettingChange, Variant } from './types.js';

// What a comparison will change, where, from what to what, before anything
// is changed; or every reason it cannot, so that all are fixed at once. Pure.

export interface PlanHost {
  spec: string;
  role: 'sender' | 'receiver';
  // Root, or passwordless sudo: nothing is ever applied otherwise.
  canRoot: boolean;
  user: string;
  iface?: string;
  state?: HostState;
}

export interface PlannedChange {
  // Index of the host in the plan's hosts (0 = A, the sender).
  host: number;
  change: SettingChange;
  target: Target;
}

export interface Plan {
  variants: Array<{ name: string; changes: PlannedChange[] }>;
  // By host: every setting any variant changes, with its original value. The
  // restore script puts these back.
  originals: SettingValue[][];
  problems: string[];
  // Both hosts on one kernel: an init-namespace sysctl set on one is set on both.
  sharedKernel: boolean;
}

export function buildPlan(variants: readonly Variant[], hosts: readonly PlanHost[]): Plan {
  const problems = new Set<string>();
  const originals: Array<Map<string, SettingValue>> = hosts.map(() => new Map());
  const planned = variants.map((v) => {
    const changes: PlannedChange[] = [];
    for (const item of v.items) {
      const at = item.hosts === 'both' ? [0, 1] : item.hosts === 'A' ? [0] : [1];
      for (const i of at) {
        const h = hosts[i]!;
        const refused = refusal(h);
        if (refused) {
          problems.add(`${h.spec}: ${refused}`);
          continue;
        }
        const e = CATALOG[item.mitigation].expand(h.state!, item.value, h.iface!);
        if (e.problem) problems.add(`${h.spec}: ${item.mitigation}: ${e.problem}`);
        for (const s of e.settings) {
          const via = viaText(s.target);
          changes.push({
            host: i,
            target: s.target,
            change: {
              host: h.spec,
              role: h.role,
              mitigation: item.mitigation,
              setting: s.label,
              from: s.from,
              to: s.value,
              ...(via ? { via } : {}),
            },
          });
          if (!originals[i]!.has(s.label))
            originals[i]!.set(s.label, { label: s.label, target: s.target, value: s.from });
        }
      }
    }
    return { name: v.name, changes };
  });
  const [a, b] = hosts;
  return {
    variants: planned,
    originals: originals.map((m) => [...m.values()]),
    problems: [...problems],
    sharedKernel: !!a?.state?.bootId && a.state.bootId === b?.state?.bootId,
  };
}

function refusal(h: PlanHost): string | undefined {
  if (!h.canRoot)
    return `changing settings needs root, and ${h.user || 'the login user'} is not root and has no passwordless sudo: log in as root, or allow \`sudo -n\` for this user`;
  if (!h.iface) return 'the data interface is not known';
  if (!h.state) return 'its current settings could not be read';
  if (!h.state.netns) return 'its network namespace could not be read';
  return undefined;
}
