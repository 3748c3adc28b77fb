import type { CollectorSpec } from '../spec.js';

// Which host-wide sections join the interfaces in bash's second lane
// (script.ts). What the interfaces cost is only known on the host (a VM has
// two or three, a Kubernetes node hundreds of veths), so the split is made
// there, before the lanes start: the second lane takes the last k host-wide
// sources, the largest k that keeps it no longer than the main lane. A fixed
// third of them made the second lane half as long again as the main one on a
// host with six interfaces. Under a POSIX sh the lanes run one after the
// other and the split changes nothing. The script's variables start with an
// underscore; these have names of their own (`sec` keeps its kind in _k).

// A section's rough cost under bash, in forks: a file is read by the shell
// itself, a command is a fork and an exec, a fragment a subshell and usually
// a command or two.
function cost(spec: CollectorSpec): number {
  return { file: 1, command: 4, shell: 6 }[spec.source.kind];
}

// The shell that counts the interfaces and sets $_mv, the k above;
// `inSecond(i)` is the test under which host-wide source i runs in the
// second lane.
export function laneSplit(
  globals: readonly CollectorSpec[],
  perIface: readonly CollectorSpec[],
): { sh: string[]; inSecond: (i: number) => string | undefined } {
  // The interfaces' cost per interface of each kind: any, not loopback, or
  // backed by a device (the spec's guards in the lane's loop).
  const per = { a: 0, n: 0, v: 0 };
  // A source run on software interfaces only when they drop is counted as
  // device-only: most of a node's veths are idle.
  for (const s of perIface)
    per[s.devicesOnly || s.softwareOnlyWithDrops ? 'v' : s.skipLoopback ? 'n' : 'a'] += cost(s);
  const count: string[] = [];
  if (per.a) count.push('_ca=$((_ca + 1))');
  if (per.n) count.push(`[ "\${d##*/}" = lo ] || _cn=$((_cn + 1))`);
  if (per.v) count.push('[ -e "$d/device" ] && _cv=$((_cv + 1))');
  const terms = (['a', 'n', 'v'] as const).filter((k) => per[k]).map((k) => `${per[k]} * _c${k}`);
  const sh = [
    '_ca=0; _cn=0; _cv=0',
    `for d in /sys/class/net/*; do [ -e "$d" ] || continue; ${count.join('; ')}; done`,
    `_cl=$((${terms.join(' + ') || '0'})); _mv=0`,
  ];
  // k sources move while the lane with them costs no more than the main
  // lane without them.
  const costs = globals.map(cost);
  const total = costs.reduce((x, y) => x + y, 0);
  let moved = 0;
  let k = 0;
  while (k < globals.length) {
    const next = moved + costs[globals.length - 1 - k]!;
    if (next > total - next) break;
    moved = next;
    k++;
    sh.push(`[ $((_cl + ${moved})) -le ${total - moved} ] && _mv=${k}`);
  }
  const movable = globals.length - k;
  return {
    sh,
    // Source i is the (n - i)th from the end: it moves when $_mv reaches that.
    inSecond: (i) => (i >= movable ? `[ "$_mv" -gt ${globals.length - 1 - i} ]` : undefined),
  };
}
