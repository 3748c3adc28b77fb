import { describe, expect, it } from 'vitest';
import { dispatch, dispatchHelp } from '../../../kit/cli/tool-dispatch.js';

describe('which tool the single-file executable runs', () => {
  it('by the name it was started by, every argument passed on', () => {
    expect(dispatch('collect', ['repro', '--help'])).toEqual({
      tool: 'collect',
      args: ['repro', '--help'],
    });
    expect(dispatch('repro', [])).toEqual({ tool: 'repro', args: [] });
  });

  it('else by its first argument', () => {
    expect(dispatch('dropkit', ['collect', 'bundle', '--local'])).toEqual({
      tool: 'collect',
      args: ['bundle', '--local'],
    });
    expect(dispatch('dropkit-linux-x64', ['repro'])).toEqual({ tool: 'repro', args: [] });
  });

  it('its own --version and --help, and a clear error for anything else', () => {
    expect(dispatch('dropkit', ['-V'])).toEqual({ show: 'version' });
    expect(dispatch('dropkit', ['--version'])).toEqual({ show: 'version' });
    expect(dispatch('dropkit', [])).toEqual({ show: 'help' });
    expect(dispatch('dropkit', ['--help'])).toEqual({ show: 'help' });
    expect(dispatch('dropkit', ['bundle'])).toEqual({
      error: 'unknown tool "bundle": the first argument is collect or repro',
    });
    expect(dispatchHelp('dropkit')).toContain('dropkit collect snapshot --local');
  });
});
