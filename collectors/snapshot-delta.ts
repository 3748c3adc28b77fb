import { type MapDelta, mapDelta } from './counter-delta.js';
import type { InterfaceKind, Snapshot } from './model.js';
import { getOwn, setOwn } from './own-record.js';
import { type SoftnetDelta, softnetDelta } from './softnet-delta.js';

// after − before for a whole host: per interface (kernel and ethtool
// counters), per CPU (softnet) and per protocol counter (snmp/netstat).

export interface InterfaceDelta {
  name: string;
  driver?: string;
  kind: InterfaceKind;
  kernel: MapDelta;
  ethtool?: MapDelta;
  // The interface is in only one of the two snapshots.
  presence?: 'added' | 'removed';
}

export interface SnapshotDelta {
  host: string;
  from: string;
  to: string;
  intervalSec: number;
  interfaces: InterfaceDelta[];
  softnet: SoftnetDelta;
  snmp: Record<string, MapDelta>;
}

export function snapshotDelta(before: Snapshot, after: Snapshot): SnapshotDelta {
  const intervalSec = Math.max(0, (Date.parse(after.takenAt) - Date.parse(before.takenAt)) / 1000);
  const opts = { intervalSec };
  const beforeByName = new Map(before.interfaces.map((i) => [i.name, i]));
  const interfaces: InterfaceDelta[] = [];
  for (const a of after.interfaces) {
    const b = beforeByName.get(a.name);
    const d: InterfaceDelta = {
      name: a.name,
      ...(a.driver ? { driver: a.driver } : {}),
      kind: a.kind,
      kernel: mapDelta(b?.kernel ?? {}, a.kernel, opts),
      ...(a.ethtool ? { ethtool: mapDelta(b?.ethtool ?? {}, a.ethtool, opts) } : {}),
      ...(b ? {} : { presence: 'added' as const }),
    };
    interfaces.push(d);
    beforeByName.delete(a.name);
  }
  for (const gone of beforeByName.values()) {
    interfaces.push({
      name: gone.name,
      kind: gone.kind,
      kernel: mapDelta(gone.kernel, {}, opts),
      presence: 'removed',
    });
  }
  const snmp: Record<string, MapDelta> = {};
  // Group names come from the host's text: own properties only.
  for (const group of new Set([...Object.keys(before.snmp), ...Object.keys(after.snmp)])) {
    setOwn(
      snmp,
      group,
      mapDelta(getOwn(before.snmp, group) ?? {}, getOwn(after.snmp, group) ?? {}, opts),
    );
  }
  return {
    host: after.host,
    from: before.takenAt,
    to: after.takenAt,
    intervalSec,
    interfaces,
    softnet: softnetDelta(before.softnet, after.softnet, intervalSec),
    snmp,
  };
}
