import type { MapDelta } from './counter-delta.js';
import { type KnownDriver, knownDriver } from './diagnosis/drivers/index.js';
import type { Snapshot } from './model.js';
import { COLLECTORS } from './registry.js';
import type { SnapshotDelta } from './snapshot-delta.js';

// The documented `collect analyze --json` shape (docs/analyze-json.md).
// bigints stay bigints here; the writer turns them into numbers or strings.
// A host's fields are those of every snapshot, then the ones a collector
// declares with its contribution (spec.model.view), in registry order.

export function hostView(s: Snapshot) {
  return {
    name: s.host,
    takenAt: s.takenAt,
    ...(s.timeBase ? { timeBase: s.timeBase } : {}),
    kernel: s.facts.kernelRelease ?? null,
    os: s.facts.os ?? null,
    cpus: s.facts.cpus ?? null,
    interfaces: s.interfaces.map((i) => ({
      name: i.name,
      ...driverView(knownDriver(i.driver, i.ethtool)),
      kind: i.kind,
      ...(i.master ? { master: i.master } : {}),
      ...(i.acceleratedNetworking ? { acceleratedNetworking: i.acceleratedNetworking } : {}),
      kernel: i.kernel,
      ethtool: i.ethtool ?? {},
      ring: i.ring ?? null,
    })),
    softnet: s.softnet.map((r) => ({
      cpu: r.cpu,
      processed: r.processed,
      dropped: r.dropped,
      timeSqueeze: r.timeSqueeze,
      ...(r.receivedRps !== undefined ? { receivedRps: r.receivedRps } : {}),
      ...(r.flowLimitCount !== undefined ? { flowLimitCount: r.flowLimitCount } : {}),
      ...(r.backlogLen !== undefined ? { backlogLen: r.backlogLen } : {}),
    })),
    ...collectorViews(s),
  };
}

// `driverSource` says whether the host named the driver or its counter names did.
function driverView(d: KnownDriver | undefined) {
  return { driver: d?.name ?? null, driverSource: d?.source ?? null };
}

function collectorViews(s: Snapshot): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const c of COLLECTORS) if (c.model?.view) Object.assign(view, c.model.view(s));
  return view;
}

function flat(m: MapDelta): Record<string, bigint> {
  return Object.fromEntries(Object.entries(m.deltas).map(([k, d]) => [k, d.delta]));
}

export function deltaView(d: SnapshotDelta) {
  return {
    name: d.host,
    from: d.from,
    to: d.to,
    // null: the interval is unknown or under a second, and no rate is given.
    intervalSec: d.intervalSec > 0 ? d.intervalSec : null,
    interfaces: d.interfaces.map((i) => ({
      name: i.name,
      ...driverView(knownDriver(i.driver, i.ethtool?.deltas)),
      ...(i.presence ? { presence: i.presence } : {}),
      kernel: flat(i.kernel),
      ethtool: i.ethtool ? flat(i.ethtool) : {},
      // Counters that went backwards: the interface was re-created or its driver reset.
      resets: [...i.kernel.resets, ...(i.ethtool?.resets ?? []).map((k) => `ethtool:${k}`)],
    })),
    softnet: d.softnet.rows.map((r) => ({
      cpu: r.cpu,
      processed: r.processed.delta,
      dropped: r.dropped.delta,
      timeSqueeze: r.timeSqueeze.delta,
      ...(r.flowLimitCount ? { flowLimitCount: r.flowLimitCount.delta } : {}),
    })),
    snmp: Object.fromEntries(
      Object.entries(d.snmp).map(([g, m]) => [
        g,
        Object.fromEntries(Object.entries(flat(m)).filter(([, v]) => v !== 0n)),
      ]),
    ),
  };
}
