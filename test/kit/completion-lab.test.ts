import { resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { canRunLab } from '../lab-available.js';

// With the test lab up, its ssh config is in use: `repro run --pair <TAB>`
// in a real bash offers its aliases.
describe.skipIf(!canRunLab())('completion on the lab', () => {
  it('repro run --pair <TAB> offers the lab aliases', async () => {
    const dist = resolve('dist/bin');
    const r = await execa(
      'bash',
      [
        '-c',
        `repro() { node ${dist}/repro.js "$@"; }
source <(repro completion bash)
COMP_WORDS=(repro run --pair vmA ''); COMP_CWORD=4
_dropkit_repro
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { env: { DROPKIT_LAB: 'test' } },
    );
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['vmA', 'vmB']));
  });
});
