import type { TakenSnapshot } from '../../collectors/snapshot/take.js';
import type { TraceCapture } from '../../collectors/trace/session.js';
import type { HostReport } from '../../kit/doctor/doctor.js';
import type { DropkitError } from '../../kit/errors.js';
import type { ConnectionInfo } from '../../kit/transport/types.js';
import type { Profile } from '../profile-types.js';
import type { Sample } from '../sampler/parse.js';
import type { Pod } from './pod.js';
import type { PhaseRun } from './traffic.js';

// What a run leaves behind: plain data, with no live session or connection in
// it, so the bundle writer and the tests read it as they would read a file.

// A sampler once stopped: what it sent, and the script as run (commands.txt).
export interface SamplerRecord {
  samples: Sample[];
  script: string;
  warnings: string[];
}

// The drop-reason tracer once stopped: its counts and buffer size
// (TraceCapture), the script as run, and its private instance.
export interface TraceRecord extends TraceCapture {
  script: string;
  instance: string;
  // Its tracefs instance was still there after it ended, and was removed.
  leftoverRemoved: boolean;
}

export interface HostRun {
  role: 'sender' | 'receiver';
  spec: string;
  // The connection as described when it opened (the bundle names the login
  // user from it); the connection itself never leaves the run.
  transport?: { info: ConnectionInfo };
  doctor?: HostReport;
  before?: TakenSnapshot;
  after?: TakenSnapshot;
  sampler?: SamplerRecord;
  // skb:kfree_skb drop reasons, on the receiver when tracefs allows.
  trace?: TraceRecord;
  traceSkipped?: string;
  dataIface?: string;
  // `--pod`: the pod iperf3 ran in.
  pod?: Pod;
  // The first thing that went wrong on this host, with the step.
  failure?: { step: string; message: string };
  // Our processes found on the host after cleanup (should be none).
  leftovers?: string[];
}

export interface StepRecord {
  step: string;
  startedAt: string;
  ms: number;
  ok: boolean;
  error?: string;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  endedAt?: string;
  profile: Profile;
  serverAddress?: string;
  port?: number;
  sampleIntervalMs: number;
  hosts: [HostRun, HostRun];
  phases: PhaseRun[];
  steps: StepRecord[];
  error?: DropkitError;
  interrupted: boolean;
}

export function samplesOf(h: HostRun): Sample[] {
  return h.sampler?.samples ?? [];
}
