import { stringify } from 'yaml';
import { deltaView } from '../collectors/analyze-json.js';
import {
  checkedCounters,
  type DiagnosisInput,
  diagnoseAll,
} from '../collectors/diagnosis/findings.js';
import { toJson } from '../collectors/json.js';
import { snapshotDelta } from '../collectors/snapshot-delta.js';
import { hostOfSpec } from '../kit/ssh/host-spec.js';
import { packageVersion } from '../kit/version.js';
import { parseIperf3Result } from '../repro/iperf3-result.js';
import { renderReproSh } from '../repro/repro-sh.js';
import { type HostRun, type RunRecord, samplesOf } from '../repro/run/run.js';
import {
  type HostSamples,
  movement,
  samplerStats,
  seriesCsv,
  toSeries,
} from '../repro/run/series.js';
import { kernelHasReasons, traceCsv, traceTotals } from '../repro/trace/parse.js';
import type { BundleEntry } from './entries.js';
import { toSummaryFinding } from './findings-summary.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { movedSection, type PhaseResult, resultsSection } from './repro-results.js';
import { hostSummary, type Summary } from './summary.js';
import { renderSummaryMd } from './summary-md.js';
import type { BundleHost } from './write-bundle.js';

// A reproduction bundle: both hosts' before/after snapshots and deltas, the
// sampler series on one time axis, iperf3's own JSON, the profile and the
// exact commands, a standalone repro.sh, and the summary. Pure.

function labelOf(h: HostRun): string {
  return h.before?.snapshot.facts.hostname ?? hostOfSpec(h.spec);
}

const json = (path: string, v: unknown): BundleEntry => ({
  path,
  bytes: Buffer.from(`${toJson(v)}\n`),
});

export function reproBundleParts(
  rec: RunRecord,
  meta: {
    caseId?: string;
    note?: string;
    label?: string;
    createdAt: Date;
    command: string[];
    redacted: boolean;
  },
) {
  const hostSamples: HostSamples[] = rec.hosts.map((h) => ({
    host: labelOf(h),
    offsetMs: h.doctor?.clock?.offsetMs ?? 0,
    errorMs: h.doctor?.clock?.errorMs ?? Number.NaN,
    samples: samplesOf(h),
  }));
  const series = hostSamples.flatMap((hs, i) => {
    const iface = rec.hosts[i]!.dataIface;
    return toSeries(
      hs,
      iface
        ? [`iface.${iface}.rx_bytes`, `iface.${iface}.tx_bytes`, `iface.${iface}.rx_packets`]
        : [],
    );
  });
  const moved = series.map(movement).filter((m) => m !== undefined);
  // The role only: the spec (an alias) would be a second, unrelated pseudonym
  // for the same host once redacted.
  const roles = new Map(rec.hosts.map((h) => [labelOf(h), h.role]));

  const inputs: DiagnosisInput[] = rec.hosts
    .filter((h) => h.after)
    .map((h) => {
      const after = { ...h.after!.snapshot, host: labelOf(h) };
      const before = h.before ? { ...h.before.snapshot, host: labelOf(h) } : undefined;
      const tr = h.trace?.stream;
      return {
        after,
        ...(before ? { before, delta: snapshotDelta(before, after) } : {}),
        series: series.filter((s) => s.host === labelOf(h)),
        ...(tr && !tr.unavailable && tr.intervals.length
          ? {
              trace: {
                host: labelOf(h),
                kernelHasReasons: kernelHasReasons(tr),
                capped: (tr.overruns ?? 0) > 0,
                entries: traceTotals(tr),
              },
            }
          : {}),
      };
    });
  const findings = diagnoseAll(inputs);
  const sharedKernel =
    inputs.length === 2 &&
    !!inputs[0]!.after.facts.bootId &&
    inputs[0]!.after.facts.bootId === inputs[1]!.after.facts.bootId;
  const checked = [...new Set(inputs.flatMap((i) => checkedCounters(i)))];

  const phases: PhaseResult[] = rec.phases.map((p) => ({
    phase: p.phase,
    result: parseIperf3Result(p.clientJson, p.serverJson).value,
  }));
  const failedPhase = rec.profile.phases.slice(rec.phases.length)[0];
  if (failedPhase && rec.error) phases.push({ phase: failedPhase.name, error: rec.error.oneLine });

  const status = rec.error || rec.hosts.some((h) => h.failure || !h.after) ? 'partial' : 'complete';
  const hosts: BundleHost[] = rec.hosts.map((h) => {
    const label = labelOf(h);
    const sets = [
      ...(h.before ? [{ dir: 'before', raw: h.before.raw }] : []),
      ...(h.after ? [{ dir: 'after', raw: h.after.raw }] : []),
    ];
    const files: BundleEntry[] = [];
    if (h.before) files.push(json('before/snapshot.json', { ...h.before.snapshot, host: label }));
    if (h.after) files.push(json('after/snapshot.json', { ...h.after.snapshot, host: label }));
    // The delta the diagnosis used, not a second computation of it.
    const delta = inputs.find((i) => i.after.host === label)?.delta;
    if (delta) files.push(json('delta.json', deltaView(delta)));
    const problem = h.failure
      ? `${h.failure.step}: ${h.failure.message}`
      : !h.after
        ? 'no "after" snapshot'
        : undefined;
    return {
      label,
      spec: h.spec,
      ...(h.transport?.info.user ? { user: h.transport.info.user } : {}),
      status: !h.before && !h.after ? 'failed' : problem ? 'partial' : 'complete',
      ...(problem ? { error: problem } : {}),
      rawSets: sets,
      files,
    };
  });

  const summary: Summary & { repro: unknown } = {
    schema: 'dropkit.summary/1',
    kind: 'repro',
    caseId: meta.caseId ?? null,
    createdAt: meta.createdAt.toISOString(),
    ...(meta.note || meta.label
      ? { note: [meta.label, meta.note].filter(Boolean).join(' — ') }
      : {}),
    status,
    redacted: meta.redacted,
    findings: findings.map(toSummaryFinding),
    checked,
    hosts: rec.hosts.map((h) =>
      hostSummary(
        labelOf(h),
        h.after?.snapshot ?? h.before?.snapshot,
        h.failure ? `${h.failure.step}: ${h.failure.message}` : undefined,
      ),
    ),
    repro: {
      profile: rec.profile.name,
      sender: labelOf(rec.hosts[0]),
      receiver: labelOf(rec.hosts[1]),
      serverAddress: rec.serverAddress ?? null,
      port: rec.port ?? null,
      startedAt: rec.startedAt,
      endedAt: rec.endedAt ?? null,
      interrupted: rec.interrupted,
      error: rec.error?.oneLine ?? null,
      phases: phases.map((p) => ({
        phase: p.phase,
        error: p.error ?? p.result?.error ?? null,
        directions:
          p.result?.directions.map((d) => ({
            direction: d.direction,
            medianBitsPerSecond: d.medianBitsPerSecond ?? null,
            udp: d.udp ?? null,
            retransmits: d.retransmits ?? null,
          })) ?? [],
      })),
      moved: moved.map((m) => ({
        ...m,
        from: new Date(m.from).toISOString(),
        to: new Date(m.to).toISOString(),
      })),
    },
  };

  const topLine = [
    ...(sharedKernel
      ? [
          '',
          'Note: both hosts run on one kernel (same boot_id, e.g. the dropkit lab or containers): softnet_stat and net.core.* sysctls are machine-wide and are attributed to the host whose interfaces show the drops.',
        ]
      : []),
    '',
    `Reproduction: profile **${rec.profile.name}**, ${labelOf(rec.hosts[0])} (sender) → ${labelOf(rec.hosts[1])} (receiver${rec.serverAddress ? ` at ${rec.serverAddress}` : ''}), ${rec.startedAt} → ${rec.endedAt ?? '?'}${rec.interrupted ? ', INTERRUPTED' : ''}${rec.error ? `. Stopped early: ${rec.error.oneLine}` : ''}`,
  ];
  const md = renderSummaryMd(
    summary,
    [...topLine, ...resultsSection(phases), ...movedSection(moved, roles)],
    [],
  );

  const stats = hostSamples.map((hs) => samplerStats(hs, rec.sampleIntervalMs));
  const commands = [
    `# dropkit ${packageVersion()} run ${rec.runId}: ${meta.command.join(' ')}`,
    ...rec.phases.flatMap((p) => [
      `# phase ${p.phase}`,
      `receiver$ ${p.serverArgv.join(' ')}`,
      `sender$   ${p.clientArgv.join(' ')}`,
    ]),
    '',
    // The on-host scripts exactly as they ran (stdin tied to the SSH channel).
    ...rec.hosts.flatMap((h) => [
      ...(h.sampler?.script
        ? ['', `# ${h.role}: the sampler, as run under sh -c`, h.sampler.script]
        : []),
      ...(h.trace?.script
        ? [
            '',
            `# ${h.role}: the drop-reason tracer, as run under sudo -n sh -c when not root`,
            h.trace.script,
          ]
        : []),
    ]),
  ];
  const files: BundleEntry[] = [
    { path: SUMMARY_MD, bytes: Buffer.from(md) },
    json(SUMMARY_JSON, summary),
    { path: 'repro/series.csv', bytes: Buffer.from(seriesCsv(series)) },
    json('repro/series-meta.json', {
      timeAxis:
        'operator clock, milliseconds since the epoch (t_ms); host clocks are corrected by their measured offset',
      intervalMs: rec.sampleIntervalMs,
      hosts: hostSamples.map((hs, i) => ({
        host: hs.host,
        role: rec.hosts[i]!.role,
        offsetMs: hs.offsetMs,
        offsetErrorMs: hs.errorMs,
        dataInterface: rec.hosts[i]!.dataIface ?? null,
        sampler: stats[i],
      })),
    }),
    {
      path: 'repro/profile.yaml',
      bytes: Buffer.from(
        `# as run (after overrides) from ${rec.profile.source}\n${stringify({ name: rec.profile.name, description: rec.profile.description, phases: rec.profile.phases })}`,
      ),
    },
    { path: 'repro/commands.txt', bytes: Buffer.from(`${commands.join('\n')}\n`) },
    {
      path: 'repro/repro.sh',
      bytes: Buffer.from(
        renderReproSh(rec.profile, {
          ...(rec.port ? { port: rec.port } : {}),
          generator: `dropkit ${packageVersion()}`,
        }),
      ),
    },
    json('repro/run.json', {
      runId: rec.runId,
      startedAt: rec.startedAt,
      endedAt: rec.endedAt,
      interrupted: rec.interrupted,
      error: rec.error?.toJSON() ?? null,
      steps: rec.steps,
      hosts: rec.hosts.map((h) => ({
        host: labelOf(h),
        role: h.role,
        dataInterface: h.dataIface ?? null,
        failure: h.failure ?? null,
        leftoverProcesses: h.leftovers ?? null,
        doctor: h.doctor?.checks ?? null,
      })),
    }),
    ...rec.hosts.flatMap((h) => {
      const tr = h.trace?.stream;
      if (!tr) return [];
      // Paths name the role: file names are not redacted, host names would leak.
      const name = h.role;
      return [
        { path: `repro/trace/${name}-kfree_skb.csv`, bytes: Buffer.from(traceCsv(labelOf(h), tr)) },
        {
          path: `repro/trace/${name}-kfree_skb-format.txt`,
          bytes: Buffer.from(`${tr.format.join('\n')}\n`),
        },
        json(`repro/trace/${name}-meta.json`, {
          host: labelOf(h),
          event: 'skb:kfree_skb',
          instance: h.trace!.instance,
          aggregation:
            'on the host, by reason and drop location (symbol, offset stripped), per 1 s interval',
          bufferKbPerCpu: 1024,
          eventsLostToTheCap: tr.overruns ?? null,
          kernelHasReasons: kernelHasReasons(tr),
          unavailable: tr.unavailable ?? null,
          totals: traceTotals(tr),
        }),
      ];
    }),
    ...rec.phases.flatMap((p) => [
      { path: `repro/iperf3/${p.phase}-client.json`, bytes: Buffer.from(p.clientJson) },
      { path: `repro/iperf3/${p.phase}-server.json`, bytes: Buffer.from(p.serverJson) },
      // iperf3's own complaints (warnings, a refused connection), when any.
      ...(p.clientStderr.trim()
        ? [{ path: `repro/iperf3/${p.phase}-client.stderr`, bytes: Buffer.from(p.clientStderr) }]
        : []),
      ...(p.serverStderr.trim()
        ? [{ path: `repro/iperf3/${p.phase}-server.stderr`, bytes: Buffer.from(p.serverStderr) }]
        : []),
    ]),
  ];
  return { hosts, files, summary, findings, status, stats };
}
