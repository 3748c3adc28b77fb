import type { CompareRecord, HostRestore, VariantRun } from '../../repro/compare/record.js';
import type { SettingChange } from '../../repro/mitigations/types.js';
import type { RunRecord } from '../../repro/run/record.js';
import { runRepro } from '../../repro/run/run.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import type { Answer } from '../fakes/fake-transport.js';
import { traceEnd, traceFormat, traceInterval } from '../fakes/host-output.js';
import * as h from '../repro/run-hosts.js';

// Real RunRecords for the comparison tests: a whole `repro run` against the
// two fake hosts (test/repro/run-hosts.ts), whose receiver's drop tracer
// counts `backlogDrops` CPU_BACKLOG drops (the diagnosis makes them a
// BACKLOG finding), with the udp-burst-P2 capture as the traffic.

function tracer(backlogDrops: number): Answer {
  return async (call) => {
    call.emit(traceFormat(capture('kfree_skb-format.txt')));
    const drops = backlogDrops
      ? [{ count: backlogDrops, reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }]
      : [];
    call.emit(traceInterval({ uptime: 812.25, drops }));
    await call.ended;
    return { stdout: traceEnd(0) };
  };
}

export async function fakeRun(backlogDrops: number): Promise<RunRecord> {
  const p = h.pair({ vmB: () => ({ [h.TRACER]: tracer(backlogDrops) }) });
  return runRepro(h.options(p));
}

// The same run with other iperf3 documents in its one phase (a TCP capture).
export function withIperf3(rec: RunRecord, client: string, server: string): RunRecord {
  const copy = structuredClone(rec);
  copy.phases[0]!.clientJson = fixture(`iperf3/${client}`);
  copy.phases[0]!.serverJson = fixture(`iperf3/${server}`);
  return copy;
}

export const BACKLOG_SETTING: SettingChange = {
  host: 'vmB',
  role: 'receiver',
  mitigation: 'backlog',
  setting: 'net.core.netdev_max_backlog',
  from: '1000',
  to: '32768',
};

export function compareRecord(
  runs: VariantRun[],
  over: Partial<CompareRecord> = {},
): CompareRecord {
  const first = runs[0]!.rec;
  const names = [...new Set(runs.map((r) => r.variant))];
  const restore: HostRestore[] = [
    { host: 'vmA', status: 'unchanged' },
    { host: 'vmB', status: 'restored' },
  ];
  return {
    runId: first.runId,
    startedAt: first.startedAt,
    endedAt: runs[runs.length - 1]!.rec.endedAt,
    profile: first.profile,
    order: 'interleaved',
    repeats: Math.max(...runs.map((r) => r.repeat)),
    variants: names.map((name) => ({
      name,
      settings: runs.find((r) => r.variant === name)!.settings,
    })),
    runs,
    steps: [],
    restore,
    interrupted: false,
    ...over,
  };
}

// baseline (7 BACKLOG drops), then backlog=32768 (none).
export async function backlogComparison(over: Partial<CompareRecord> = {}): Promise<CompareRecord> {
  const runs: VariantRun[] = [
    { variant: 'baseline', repeat: 1, settings: [], rec: await fakeRun(7) },
    { variant: 'backlog=32768', repeat: 1, settings: [BACKLOG_SETTING], rec: await fakeRun(0) },
  ];
  return compareRecord(runs, over);
}
