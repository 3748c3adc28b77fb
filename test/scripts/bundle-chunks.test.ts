import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/bundle-chunks.mjs on a small program: a tiny module that two lazy
// modules share joins the larger chunk all three lazy modules load, the
// program still runs with every export in place, and a module that imports
// an external package stays where only its own importers load it.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'package.json': '{"type":"module"}',
  'src/main.js': `
    const one = await import('./one.js');
    const two = await import('./two.js');
    const three = await import('./three.js');
    console.log(JSON.stringify([one.value, two.value, three.value]));`,
  'src/one.js': `import { tiny } from './tiny.js'; import { big } from './big.js';
    export const value = tiny + big.length;`,
  'src/two.js': `import { tiny } from './tiny.js'; import { big } from './big.js';
    import { ext } from './uses-ext.js'; export const value = tiny + big.length + ext;`,
  'src/three.js': `import { big } from './big.js'; import { ext } from './uses-ext.js';
    export const value = big.length + ext;`,
  'src/tiny.js': 'export const tiny = 1;',
  'src/big.js': `export const big = ${JSON.stringify('x'.repeat(20_000))};`,
  'src/uses-ext.js': `import { ext as e } from 'fake-ext'; export const ext = e;`,
  'node_modules/fake-ext/package.json': '{"name":"fake-ext","type":"module","main":"index.js"}',
  'node_modules/fake-ext/index.js': 'export const ext = 100;',
};
for (const [path, text] of Object.entries(FILES)) {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}
// The fixture's `import 'esbuild'` finds the project's copy.
for (const pkg of ['esbuild', '@esbuild'])
  symlinkSync(resolve('node_modules', pkg), join(dir, 'node_modules', pkg));

// Builds src/main.js into out-<name>/ and reports what came out.
async function bundle(name: string, merge: boolean) {
  const script = `
    import { build } from 'esbuild';
    import { mergedChunks } from ${JSON.stringify(resolve('scripts/bundle-chunks.mjs'))};
    const options = { outdir: 'out-${name}', bundle: true, splitting: true, format: 'esm',
      platform: 'node', external: ['fake-ext'], metafile: true, logLevel: 'error' };
    const r = await build(${merge}
      ? await mergedChunks(options, 'main', 'src/main.js', { minBytes: 4096, budget: 1024 })
      : { ...options, entryPoints: { main: 'src/main.js' } });
    const outs = r.metafile.outputs;
    const closure = (o, seen = new Set()) => {
      if (seen.has(o)) return seen;
      seen.add(o);
      for (const i of outs[o].imports) if (i.kind === 'import-statement' && outs[i.path]) closure(i.path, seen);
      return seen;
    };
    const entry = (src) => Object.keys(outs).find((o) => outs[o].entryPoint?.endsWith(src));
    const loadsExt = (src) => [...closure(entry(src))].some((o) => outs[o].imports.some((i) => i.path === 'fake-ext'));
    console.log(JSON.stringify({
      files: Object.keys(outs).length,
      oneLoads: closure(entry('src/one.js')).size,
      oneLoadsExt: loadsExt('src/one.js'),
      twoLoadsExt: loadsExt('src/two.js'),
    }));`;
  const built = await execa('node', ['--input-type=module', '-e', script], { cwd: dir });
  const ran = await execa('node', [join(dir, `out-${name}`, 'main.js')], { cwd: dir });
  return { ...JSON.parse(built.stdout), values: JSON.parse(ran.stdout) };
}

describe('merging small chunks', () => {
  it('folds a tiny shared chunk into a larger one, and never moves an external import', async () => {
    const plain = await bundle('plain', false);
    const merged = await bundle('merged', true);
    expect(plain.values).toEqual([20_001, 20_101, 20_100]);
    expect(merged.values).toEqual(plain.values);
    // one.js loaded its own file, tiny.js's and big.js's; now its own and one.
    expect(plain.oneLoads).toBe(3);
    expect(merged.oneLoads).toBe(2);
    expect(merged.files).toBeLessThan(plain.files);
    expect(merged.oneLoadsExt).toBe(false);
    expect(merged.twoLoadsExt).toBe(true);
  });
});
