import { describe, expect, it } from 'vitest';
import { cpuMask } from '../../../kit/lab/impair.js';

describe('cpuMask', () => {
  it('writes the kernel cpumask format, past 31 CPUs too', () => {
    expect(cpuMask(0)).toBe('1');
    expect(cpuMask(1)).toBe('2');
    expect(cpuMask(31)).toBe('80000000');
    expect(cpuMask(32)).toBe('1,00000000');
    expect(cpuMask(63)).toBe('80000000,00000000');
    expect(cpuMask(64)).toBe('1,00000000,00000000');
  });
});
