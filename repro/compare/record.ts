import type { DropkitError } from '../../kit/errors.js';
import type { SettingChange } from '../mitigations/types.js';
import type { Profile } from '../profile-types.js';
import type { RunRecord, StepRecord } from '../run/record.js';

// What a comparison leaves behind: one reproduction per variant and repeat,
// each a whole RunRecord (read by the repro bundle's own code), plus what was
// changed on the hosts and whether each was restored. Plain data.

export interface VariantRun {
  // The variant's name as the table shows it: `baseline`, `backlog=32768`.
  variant: string;
  // 1-based; runs of one variant are numbered in the order they ran.
  repeat: number;
  // What this run changed before its traffic (empty for the baseline).
  settings: SettingChange[];
  rec: RunRecord;
}

// The state of one host's settings at the end.
export interface HostRestore {
  host: string;
  // restored: every changed value read back equal to its original;
  // unchanged: nothing was ever changed there; pending: the host could not be
  // reached or verified, its restore script is still on it (`repro restore`);
  // failed: a value read back differs from its original.
  status: 'restored' | 'unchanged' | 'pending' | 'failed';
  detail?: string;
  // The script on the host that restores it, while it is there.
  script?: string;
}

export interface CompareRecord {
  runId: string;
  startedAt: string;
  endedAt?: string;
  profile: Profile;
  order: 'interleaved' | 'blocked';
  repeats: number;
  // The variants as asked, in order; the runs in the order they ran.
  variants: Array<{ name: string; settings: SettingChange[] }>;
  runs: VariantRun[];
  // Steps shared by every run: connect, preflight, port, addresses, plan,
  // and the final restore and cleanup.
  steps: StepRecord[];
  restore: HostRestore[];
  error?: DropkitError;
  interrupted: boolean;
}
