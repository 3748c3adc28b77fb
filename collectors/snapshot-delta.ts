import { type MapDelta, mapDelta } from './counter-delta.js';
import type { InterfaceKind, Snapshot } from './model.js';
import { getOwn, setOwn } from './own-record.js';
import { type QdiscDelta, qdiscDeltas } from './qdisc-delta.js';
import { type SoftnetDelta, softnetDelta } from './softnet-delta.js';

// after − before for a whole host: per interface (kernel and ethtool
// counters), per CPU (softnet), per protocol counter (snmp/netstat) and per
// qdisc (tc -s qdisc).

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
  // 0 when unknown (either capture has no time of its own, or the two
  // clocks differ) or under MIN_RATE_INTERVAL_SEC: no rate is computed then.
  intervalSec: number;
  interfaces: InterfaceDelta[];
  softnet: SoftnetDelta;
  snmp: Record<string, MapDelta>;
  // Absent unless both captures have tc's qdiscs.
  qdiscs?: QdiscDelta[];
}

// A rate over less than this is noise: two captures taken this close say
// nothing per second (22,502 packets over 0.01 s would read as 2,250,250/s).
export const MIN_RATE_INTERVAL_SEC = 1;

// The seconds between two captures, or 0 when they cannot be measured: a
// capture timed by a file's mtime (when it was copied, not taken), or two
// different clocks (a sos report's zone-less local time against dropkit's UTC).
export function intervalBetween(before: Snapshot, after: Snapshot): number {
  if (before.timeBase === 'file-mtime' || after.timeBase === 'file-mtime') return 0;
  if (before.timeBase !== after.timeBase) return 0;
  // A sos time has no zone: both are read the same way, whatever this machine's.
  const ms = (s: Snapshot) =>
    Date.parse(s.timeBase === 'sos-manifest' ? `${s.takenAt}Z` : s.takenAt);
  const sec = (ms(after) - ms(before)) / 1000;
  return Number.isFinite(sec) && sec >= MIN_RATE_INTERVAL_SEC ? sec : 0;
}

export function snapshotDelta(before: Snapshot, after: Snapshot): SnapshotDelta {
  const intervalSec = intervalBetween(before, after);
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
  const boots = [before.facts.bootId, after.facts.bootId];
  const qdiscs =
    before.qdiscs && after.qdiscs
      ? qdiscDeltas(before.qdiscs, after.qdiscs, {
          intervalSec,
          // A reboot in between restarted every qdisc; one boot says nothing (tc re-creates).
          ...(boots[0] && boots[1] && boots[0] !== boots[1] ? { sameBoot: false as const } : {}),
        })
      : undefined;
  return {
    host: after.host,
    from: before.takenAt,
    to: after.takenAt,
    intervalSec,
    interfaces,
    // Boot ids tell a 32-bit wrap (same boot) from a reset (a reboot).
    softnet: softnetDelta(before.softnet, after.softnet, intervalSec, {
      ...(before.facts.bootId ? { before: before.facts.bootId } : {}),
      ...(after.facts.bootId ? { after: after.facts.bootId } : {}),
    }),
    snmp,
    ...(qdiscs ? { qdiscs } : {}),
  };
}
