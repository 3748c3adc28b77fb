import { formatBitRate } from '../kit/bit-rate.js';
import { ProfileError, type ProfileIssue } from './profile-error.js';
import { type Caps, DEFAULT_CAPS, type Phase, type Profile } from './profile-types.js';

type Locate = (path: string) => { line: number; column: number } | undefined;

export function totalDuration(profile: Profile): number {
  return profile.phases.reduce((s, p) => s + p.duration, 0);
}

// Per direction: with --bidir each side sends streams x bitrate, and a link
// is full duplex, so the cap compares against one direction's load.
export function aggregateBitsPerSecond(phase: Phase): number | null {
  return phase.bitsPerSecond === null ? null : phase.streams * phase.bitsPerSecond;
}

export function resolveCaps(caps?: Partial<Caps>): Caps {
  const out = { ...DEFAULT_CAPS, ...caps };
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`cap ${k} must be a positive number`);
  }
  return out;
}

// Throws a ProfileError of kind "cap" naming the cap and how to raise it.
// `locate` maps a field path to its line when the profile came from a file.
export function enforceCaps(profile: Profile, caps: Caps, locate: Locate = () => undefined): void {
  const issue = (path: string, reason: string): ProfileIssue => {
    const at = locate(path);
    return { file: profile.source, line: at?.line, column: at?.column, reason };
  };
  let total = 0;
  for (const [i, phase] of profile.phases.entries()) {
    total += phase.duration;
    if (total > caps.maxTotalDurationS) {
      const all = totalDuration(profile);
      throw new ProfileError(
        'cap',
        [
          issue(
            `phases[${i}].duration`,
            `total duration ${all} s is above the ${caps.maxTotalDurationS} s duration cap`,
          ),
        ],
        `shorten the phases, or raise the cap explicitly with --max-duration ${all}`,
      );
    }
    const aggregate = aggregateBitsPerSecond(phase);
    if (aggregate !== null && aggregate > caps.maxAggregateBitsPerSecond) {
      const shown = `${phase.streams} x ${formatBitRate(phase.bitsPerSecond ?? 0, 'short')}`;
      throw new ProfileError(
        'cap',
        [
          issue(
            `phases[${i}].bitrate`,
            `phases[${i}] (${phase.name}) sends ${shown} = ${formatBitRate(aggregate, 'short')}, above the ${formatBitRate(caps.maxAggregateBitsPerSecond, 'short')} rate cap`,
          ),
        ],
        `lower bitrate or streams, or raise the cap explicitly with --max-rate ${Math.ceil(aggregate / 1e9)}G`,
      );
    }
  }
}

export interface Overrides {
  // Seconds for every phase (-t); the total is phases x duration.
  duration?: number;
  // Flips every phase to -R (the server sends) or back.
  reverse?: boolean;
}

// A new profile with the overrides applied, checked against the caps again:
// an override must never be a way around them.
export function applyOverrides(
  profile: Profile,
  overrides: Overrides,
  caps?: Partial<Caps>,
): Profile {
  const next = withOverrides(profile, overrides);
  enforceCaps(next, resolveCaps(caps));
  return next;
}

// The overrides alone, not checked against the caps: for a caller that checks
// the result itself (the profile loader, with the file's line numbers).
export function withOverrides(profile: Profile, overrides: Overrides): Profile {
  const { duration, reverse } = overrides;
  const fail = (reason: string) =>
    new ProfileError('schema', [
      { file: profile.source, line: undefined, column: undefined, reason },
    ]);
  if (duration !== undefined && (!Number.isInteger(duration) || duration < 1)) {
    throw fail(`--duration must be a positive integer number of seconds, got ${duration}`);
  }
  if (reverse === true) {
    const bidir = profile.phases.find((p) => p.bidir);
    if (bidir) throw fail(`--reverse cannot apply to phase ${bidir.name}: it is already bidir`);
  }
  return {
    ...profile,
    phases: profile.phases.map((p) => ({
      ...p,
      duration: duration ?? p.duration,
      reverse: reverse ?? p.reverse,
      extraArgs: [...p.extraArgs],
    })),
  };
}
