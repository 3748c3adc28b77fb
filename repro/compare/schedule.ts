// The order of a comparison's runs. Interleaved (baseline, ring, baseline,
// ring, …) spreads drift (a neighbour's load, a warming cache) over every
// variant alike; blocked runs each variant's repeats back to back. Pure.

export interface Slot {
  // Index into the variants as given.
  variant: number;
  // 1-based, per variant.
  repeat: number;
}

export function schedule(
  variants: number,
  repeats: number,
  order: 'interleaved' | 'blocked',
): Slot[] {
  const out: Slot[] = [];
  if (order === 'blocked') {
    for (let v = 0; v < variants; v++)
      for (let r = 1; r <= repeats; r++) out.push({ variant: v, repeat: r });
  } else {
    for (let r = 1; r <= repeats; r++)
      for (let v = 0; v < variants; v++) out.push({ variant: v, repeat: r });
  }
  return out;
}
