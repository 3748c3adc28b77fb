import { describe, expect, it } from 'vitest';
import { bundleExitCode } from '../../bundles/write-parts.js';
import { DropkitError } from '../../kit/errors.js';
import { EXIT } from '../../kit/exit-codes.js';

// The exit code a written bundle means, for both commands.

const error = (code: 'ABORTED' | 'CONNECTION_LOST') =>
  new DropkitError({ code, message: 'x', step: 'traffic: burst' });

describe('the exit code of a written bundle', () => {
  it('collect bundle: complete 0, partial 3', () => {
    expect(bundleExitCode('complete')).toBe(EXIT.OK);
    expect(bundleExitCode('partial')).toBe(EXIT.PARTIAL);
  });

  it('repro run: an interrupt wins, then the error that stopped the run, then the status', () => {
    expect(bundleExitCode('complete', { interrupted: false })).toBe(EXIT.OK);
    expect(bundleExitCode('partial', { interrupted: false })).toBe(EXIT.PARTIAL);
    expect(bundleExitCode('partial', { interrupted: true, error: error('CONNECTION_LOST') })).toBe(
      EXIT.INTERRUPTED,
    );
    expect(bundleExitCode('partial', { interrupted: false, error: error('ABORTED') })).toBe(
      EXIT.INTERRUPTED,
    );
    expect(
      bundleExitCode('complete', { interrupted: false, error: error('CONNECTION_LOST') }),
    ).toBe(EXIT.PARTIAL);
  });
});
