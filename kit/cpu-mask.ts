// CPU masks as the kernel reads and prints them (rps_cpus, smp_affinity):
// hex, in comma-separated 32-bit groups. Pure.

// A mask in its shortest form: `2`, `1,00000000`. (1 << 31 in JS is
// negative and 1 << 32 wraps to 1: bigint it is.)
export function maskText(bits: bigint): string {
  const hex = bits.toString(16);
  const groups: string[] = [];
  for (let end = hex.length; end > 0; end -= 8)
    groups.unshift(hex.slice(Math.max(0, end - 8), end));
  return groups.map((g, i) => (i === 0 ? g : g.padStart(8, '0'))).join(',');
}

// The mask of one CPU.
export function cpuMask(cpu: number): string {
  return maskText(1n << BigInt(cpu));
}

// Every CPU from 0 to cpus-1, in the same shape as `like` (a mask the host
// printed: as many groups as its kernel's CPU bitmap holds, `00000000,00000003`
// on a kernel built for 64 CPUs, `3` on one sized for 2), so that the value
// read back is the very string written.
export function allCpusMask(cpus: number, like: string): string {
  return maskLike((1n << BigInt(cpus)) - 1n, like);
}

// These CPUs, in the same shape as `like`.
export function maskLike(bits: bigint, like: string): string {
  const cpus = bits.toString(2).length;
  const groups = like.split(',');
  if (cpus > groups.length * 32) return maskText(bits);
  let hex = bits.toString(16).padStart(groups[0]!.length + (groups.length - 1) * 8, '0');
  const out: string[] = [];
  for (let i = groups.length - 1; i >= 1; i--) {
    out.unshift(hex.slice(-8));
    hex = hex.slice(0, -8);
  }
  out.unshift(hex);
  return out.join(',');
}

// The CPUs a mask names, to compare masks of different shapes.
export function maskBits(mask: string): bigint {
  return BigInt(`0x${mask.replace(/,/g, '') || '0'}`);
}

// A CPU list as sysfs prints it (`/sys/devices/system/cpu/online`: `0-3,6`),
// as a mask; undefined when it is not one.
export function cpuListBits(list: string): bigint | undefined {
  if (!/^\d{1,4}(-\d{1,4})?(,\d{1,4}(-\d{1,4})?)*$/.test(list)) return undefined;
  let bits = 0n;
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let c = a; c <= (b ?? a); c++) bits |= 1n << BigInt(c);
  }
  return bits;
}
