import { describe, expect, it } from 'vitest';
import { ringTarget } from '../../../repro/persist/ring-target.js';

const base = { host: 'h', iface: 'eth0', azureVf: false };

describe('ringTarget', () => {
  it('takes the preset maximum by default', () => {
    expect(ringTarget({ ...base, driver: 'mlx5_core', current: 1024, max: 8192 })).toEqual({
      value: 8192,
    });
  });

  it('clamps a wish above the maximum and says so', () => {
    const t = ringTarget({ ...base, driver: 'mlx5_core', current: 1024, max: 8192, wanted: 20000 });
    expect(t.value).toBe(8192);
    expect(t.note).toContain('clamped to 8192');
  });

  it('rounds ENA down to a power of two', () => {
    const t = ringTarget({ ...base, driver: 'ena', current: 1024, max: 16384, wanted: 10000 });
    expect(t.value).toBe(8192);
    expect(Number.isInteger(Math.log2(t.value))).toBe(true);
    expect(t.note).toContain('powers of two');
  });

  it('leaves a power of two alone for ENA, and rounds only ENA', () => {
    expect(ringTarget({ ...base, driver: 'ena', current: 1024, max: 16384 })).toEqual({
      value: 16384,
    });
    expect(ringTarget({ ...base, driver: 'gve', current: 1024, max: 4096, wanted: 3000 })).toEqual({
      value: 3000,
    });
  });

  it('never goes below the current size', () => {
    const t = ringTarget({ ...base, driver: 'mlx5_core', current: 4096, max: 8192, wanted: 2048 });
    expect(t.value).toBe(4096);
    expect(t.note).toContain('never below the current 4096');
    // ENA rounding down below the current: the current wins.
    expect(
      ringTarget({ ...base, driver: 'ena', current: 12000, max: 16384, wanted: 13000 }).value,
    ).toBe(12000);
  });
});
