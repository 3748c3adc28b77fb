import type { Snapshot } from '../model.js';
import type { SnapshotDelta } from '../snapshot-delta.js';
import type { Evidence, Mitigation, TimeWindow } from './finding.js';
import type { Group } from './group.js';
import type { TestSocket } from './input.js';

// What the per-class advice may look at besides its own group.
export interface DiagnosisContext {
  host: string;
  after: Snapshot;
  delta?: SnapshotDelta;
  sinceBoot: boolean;
  intervalSec?: number;
  // Every group of this host: SQUEEZE says so when RING drops happened too.
  groups: readonly Group[];
  // The test's receiving sockets on this host, when a reproduction ran.
  sockets?: readonly TestSocket[];
}

// Numbers computed once per group.
export interface GroupFacts {
  packets: bigint;
  sinceBoot: boolean;
  ratePerSec?: number;
  peakRatePerSec?: number;
  window?: TimeWindow;
  cpus: number[];
}

export interface Advice {
  title: string;
  explanation: string;
  mitigation: Mitigation;
  // Current settings that matter for this class (`net.core.netdev_max_backlog` = 10).
  config: Evidence[];
  // Settings the fix depends on that the host did not let us read: the fix then says to read
  // them first, and the bundle is partial.
  unknown?: string[];
}

export type AdviceFor = (ctx: DiagnosisContext, group: Group, facts: GroupFacts) => Advice;
