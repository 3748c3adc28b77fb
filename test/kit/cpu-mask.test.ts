import { describe, expect, it } from 'vitest';
import { allCpusMask, cpuListBits, cpuMask, maskBits, maskText } from '../../kit/cpu-mask.js';

// CPU masks as the kernel prints them in rps_cpus and smp_affinity: hex in
// comma-separated 32-bit groups, the first one unpadded.

describe('maskText', () => {
  it('writes the shortest form, in 32-bit groups', () => {
    expect(maskText(0n)).toBe('0');
    expect(maskText(1n)).toBe('1');
    expect(maskText(0xffn)).toBe('ff');
    expect(maskText(0xffff_ffffn)).toBe('ffffffff');
    expect(maskText(1n << 32n)).toBe('1,00000000');
    expect(maskText((1n << 40n) - 1n)).toBe('ff,ffffffff');
    expect(maskText((1n << 64n) | 5n)).toBe('1,00000000,00000005');
  });
});

describe('cpuMask', () => {
  it('is one CPU, past 31 and 32 too (no JS int wrap)', () => {
    expect(cpuMask(0)).toBe('1');
    expect(cpuMask(1)).toBe('2');
    expect(cpuMask(31)).toBe('80000000');
    expect(cpuMask(32)).toBe('1,00000000');
    expect(cpuMask(63)).toBe('80000000,00000000');
    expect(cpuMask(64)).toBe('1,00000000,00000000');
  });
});

describe('allCpusMask', () => {
  it('keeps the shape of the mask the host printed', () => {
    // A kernel sized for 2 CPUs prints `2`; one built for 64 prints two groups.
    expect(allCpusMask(2, '2')).toBe('3');
    expect(allCpusMask(2, '0')).toBe('3');
    expect(allCpusMask(2, '00000000,00000002')).toBe('00000000,00000003');
    expect(allCpusMask(8, '00')).toBe('ff');
    expect(allCpusMask(4, '00000000,00000000,00000000,00000001')).toBe(
      '00000000,00000000,00000000,0000000f',
    );
  });

  it('fills a group and spills into the next one', () => {
    expect(allCpusMask(32, '00000000')).toBe('ffffffff');
    expect(allCpusMask(33, '00000000,00000000')).toBe('00000001,ffffffff');
    expect(allCpusMask(40, '00000000,00000002')).toBe('000000ff,ffffffff');
    expect(allCpusMask(64, '00000000,00000000')).toBe('ffffffff,ffffffff');
  });

  it('falls back to the shortest form when the host mask is too small for the CPUs', () => {
    expect(allCpusMask(33, 'ff')).toBe('1,ffffffff');
    expect(allCpusMask(65, '00000000,00000000')).toBe('1,ffffffff,ffffffff');
  });

  it('always names the CPUs 0 to cpus-1, whatever the shape', () => {
    for (const [cpus, like] of [
      [1, '1'],
      [2, '00000000,00000002'],
      [24, '000000'],
      [48, '0000,00000000'],
      [96, '00000000,00000000,00000000'],
    ] as const)
      expect(maskBits(allCpusMask(cpus, like))).toBe((1n << BigInt(cpus)) - 1n);
  });
});

describe('maskBits', () => {
  it('reads masks of any shape as the same CPUs', () => {
    expect(maskBits('3')).toBe(3n);
    expect(maskBits('00000000,00000003')).toBe(3n);
    expect(maskBits('1,00000000')).toBe(1n << 32n);
    expect(maskBits('80000000,00000000')).toBe(1n << 63n);
    expect(maskBits('')).toBe(0n);
    expect(maskBits('0')).toBe(0n);
  });

  it('round-trips maskText', () => {
    for (const bits of [0n, 1n, 0xdead_beefn, (1n << 100n) - 7n])
      expect(maskBits(maskText(bits))).toBe(bits);
  });
});

describe('cpuListBits', () => {
  it('reads sysfs CPU lists, and nothing else', () => {
    expect(cpuListBits('0-1')).toBe(3n);
    expect(cpuListBits('0,2-3')).toBe(13n);
    expect(cpuListBits('63')).toBe(1n << 63n);
    expect(cpuListBits('')).toBeUndefined();
    expect(cpuListBits('0-1; reboot')).toBeUndefined();
  });
});
