import { aks } from './aks.js';
import { checkPlan } from './checked-plan.js';
import { eks } from './eks.js';
import { gke } from './gke.js';
import { linux } from './linux.js';
import { networkd } from './networkd.js';
import { networkmanager } from './networkmanager.js';
import type { PlatformParts } from './parts.js';
import { readme } from './readme.js';
import { tuned } from './tuned.js';
import { type FixPlan, PLATFORMS, type Platform, type PlatformOutput } from './types.js';

// One entry per platform: each module turns the checked plan into its files.
const BY_PLATFORM: Record<Platform, (plan: ReturnType<typeof checkPlan>) => PlatformParts> = {
  linux,
  networkd,
  networkmanager,
  tuned,
  aks,
  eks,
  gke,
};

// Pure: the files for one platform, as strings, plus what it could not do.
// Never throws: an empty or unusable plan gives no files and a problem line.
export function generate(platform: Platform, plan: FixPlan): PlatformOutput {
  if (!(PLATFORMS as readonly string[]).includes(platform))
    return {
      files: [],
      notes: [],
      problems: [`unknown platform ${String(platform).slice(0, 40)}`],
    };
  const checked = checkPlan(plan ?? { ring: [], sysctls: [] });
  if (!checked.rings.length && !checked.sysctls.length)
    return {
      files: [],
      notes: checked.notes,
      problems: [...checked.problems, 'the plan has no usable fix: nothing to write'],
    };
  const parts = BY_PLATFORM[platform](checked);
  const notes = [...checked.notes, ...parts.notes];
  const problems = [...checked.problems, ...parts.problems];
  const files = parts.files.filter((f) => f.content !== '');
  return {
    files: [...files, readme({ title: parts.title, intro: parts.intro, files, notes, problems })],
    notes,
    problems,
  };
}
