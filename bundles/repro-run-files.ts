import { stringify } from 'yaml';
import { packageVersion } from '../kit/version.js';
import { renderReproSh } from '../repro/repro-sh.js';
import type { RunRecord } from '../repro/run/run.js';
import { hostClock } from '../repro/run/series.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { labelOf } from './repro-label.js';
import { traceFiles } from './trace-files.js';

// What ran in a reproduction, so that a support engineer can read it and run
// it again: the profile, the exact command lines and on-host scripts, a
// standalone repro.sh, every step (run.json), iperf3's own output and the
// drop-reason trace. Pure.

function commandsTxt(rec: RunRecord, command: string[]): string {
  const lines = [
    `# dropkit ${packageVersion()} run ${rec.runId}: ${command.join(' ')}`,
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
  return `${lines.join('\n')}\n`;
}

function runJson(rec: RunRecord) {
  return {
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
      // `--pod`: the pod iperf3 ran in, and its host-side veth.
      ...(h.pod ? { pod: h.pod } : {}),
      failure: h.failure ?? null,
      leftoverProcesses: h.leftovers ?? null,
      doctor: h.doctor?.checks ?? null,
    })),
  };
}

// repro/profile.yaml, commands.txt, repro.sh and run.json.
export function runFiles(rec: RunRecord, command: string[]): BundleEntry[] {
  const asRun = stringify({
    name: rec.profile.name,
    description: rec.profile.description,
    phases: rec.profile.phases,
  });
  return [
    {
      path: 'repro/profile.yaml',
      bytes: Buffer.from(`# as run (after overrides) from ${rec.profile.source}\n${asRun}`),
    },
    { path: 'repro/commands.txt', bytes: Buffer.from(commandsTxt(rec, command)) },
    {
      path: 'repro/repro.sh',
      bytes: Buffer.from(
        renderReproSh(rec.profile, {
          ...(rec.port ? { port: rec.port } : {}),
          generator: `dropkit ${packageVersion()}`,
        }),
      ),
    },
    jsonEntry('repro/run.json', runJson(rec)),
  ];
}

// repro/trace/<role>-…: paths name the role rather than the host, which
// tells the reader more, and keeps host names out of one more place. Its
// times go on the series' axis (the operator's clock).
export function reproTraceFiles(rec: RunRecord): BundleEntry[] {
  return rec.hosts.flatMap((h) =>
    h.trace
      ? traceFiles(`repro/trace/${h.role}-`, labelOf(h), h.trace, {
          instance: h.trace.instance,
          clock: hostClock(h),
        })
      : [],
  );
}

// iperf3's JSON from both ends of each phase, and its complaints (warnings, a
// refused connection) when it had any.
export function iperf3Files(rec: RunRecord): BundleEntry[] {
  return rec.phases.flatMap((p) => [
    { path: `repro/iperf3/${p.phase}-client.json`, bytes: Buffer.from(p.clientJson) },
    { path: `repro/iperf3/${p.phase}-server.json`, bytes: Buffer.from(p.serverJson) },
    ...(p.clientStderr.trim()
      ? [{ path: `repro/iperf3/${p.phase}-client.stderr`, bytes: Buffer.from(p.clientStderr) }]
      : []),
    ...(p.serverStderr.trim()
      ? [{ path: `repro/iperf3/${p.phase}-server.stderr`, bytes: Buffer.from(p.serverStderr) }]
      : []),
  ]);
}
