// Fewer, larger chunks for esbuild's code splitting (used by bundle.mjs).
//
// Why: esbuild makes one chunk per set of entry points (the CLI and every
// dynamic import) that reach a module, however small. With each command's
// code loaded lazily, `collect bundle --local` loaded 40 files, 20 of them
// under 2 KiB (errors.js, json.js, shell-quote.js...), and each file is a
// resolve, a read on the thread pool and a compile: on this VM that cost as
// much as the lazy loading saved, and far more on a busy machine.
//
// How: a shared chunk under `minBytes` is folded into the other shared chunk
// that costs least: the code that entry points then load in addition (up to
// `budget`, counted in bytes times entry points), a little code for a file
// less. Both chunks' modules are then loaded by the entry points of either,
// which esbuild does once those entry points import them: a dynamic import
// of one of our modules is given a wrapper that imports the modules it
// gains, then re-exports the module. A module that imports an external
// package (itself or through another) is never moved: ssh2 must still load
// only for a remote host. With the lazy commands, `collect bundle --local`
// loaded 42 files, and 18 after this; `collect --version` 10, and 4.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const STATIC = new Set(['import-statement', 'require-call']);

// Which modules each entry point must also import so that small chunks
// merge: entry path -> module paths (relative to the working directory).
async function plan(options, entry, minBytes, budget) {
  const packages = options.external ?? [];
  const isPackage = (path) => packages.some((p) => path === p || path.startsWith(`${p}/`));
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const inputs = metafile.inputs;
  const deps = (m) =>
    inputs[m].imports.filter((i) => STATIC.has(i.kind) && !i.external && inputs[i.path]);
  const entries = [entry];
  for (const input of Object.values(inputs))
    for (const i of input.imports)
      if (i.kind === 'dynamic-import' && !i.external && inputs[i.path] && !entries.includes(i.path))
        entries.push(i.path);

  // A module's entry points, as bits; modules that import an external
  // package, themselves or through another, are never widened.
  const sig = new Map(Object.keys(inputs).map((m) => [m, 0n]));
  entries.forEach((e, k) => {
    const bit = 1n << BigInt(k);
    const stack = [e];
    while (stack.length) {
      const m = stack.pop();
      if (sig.get(m) & bit) continue;
      sig.set(m, sig.get(m) | bit);
      stack.push(...deps(m).map((i) => i.path));
    }
  });
  const natural = new Map(sig);
  const external = new Map();
  const usesExternal = (m) => {
    if (!external.has(m)) {
      external.set(m, false);
      external.set(
        m,
        inputs[m].imports.some((i) => i.external && isPackage(i.path)) ||
          deps(m).some((i) => usesExternal(i.path)),
      );
    }
    return external.get(m);
  };
  const widen = (m, s) => {
    const stack = [m];
    while (stack.length) {
      const x = stack.pop();
      const wider = sig.get(x) | s;
      if (wider === sig.get(x)) continue;
      sig.set(x, wider);
      stack.push(...deps(x).map((i) => i.path));
    }
  };
  const bits = (s) => s.toString(2).replaceAll('0', '').length;
  // Bytes times entry points that would load them in addition if `modules`
  // were loaded by all of `s`. A module's imports are loaded by every entry
  // point that loads it: where one is loaded by all of `s` already, so are
  // its imports.
  const added = (modules, s) => {
    let cost = 0;
    const seen = new Set();
    const stack = [...modules];
    while (stack.length) {
      const m = stack.pop();
      if (seen.has(m) || (sig.get(m) & s) === s) continue;
      seen.add(m);
      cost += inputs[m].bytes * bits(s & ~sig.get(m));
      stack.push(...deps(m).map((i) => i.path));
    }
    return cost;
  };

  for (;;) {
    const chunks = new Map();
    for (const [m, s] of sig) {
      if (!s) continue;
      const c = chunks.get(s) ?? { s, bytes: 0, modules: [], fixed: false };
      c.bytes += inputs[m].bytes;
      c.modules.push(m);
      c.fixed ||= usesExternal(m);
      chunks.set(s, c);
    }
    // A chunk only one entry point loads is that entry point's own file:
    // folding it elsewhere would leave the file and move its code.
    const shared = [...chunks.values()].filter((c) => !c.fixed && bits(c.s) > 1);
    const small = shared.filter((c) => c.bytes < minBytes).sort((a, b) => a.bytes - b.bytes);
    // The smallest chunk that can go, into the chunk that costs least: the
    // code that entry points then load in addition, the modules' imports
    // included (they follow them), up to `budget`.
    let best;
    for (const c of small) {
      for (const d of shared) {
        if (d === c) continue;
        const cost = added([...c.modules, ...d.modules], c.s | d.s);
        if (cost <= budget && (!best || cost < best.cost)) best = { c, d, cost };
      }
      if (best) break;
    }
    if (!best) break;
    for (const m of [...best.c.modules, ...best.d.modules]) widen(m, best.c.s | best.d.s);
  }

  const extra = new Map(entries.map((e) => [e, []]));
  for (const [m, s] of sig) {
    const added = s & ~natural.get(m);
    entries.forEach((e, k) => {
      if (added & (1n << BigInt(k))) extra.get(e).push(m);
    });
  }
  return extra;
}

// The esbuild options for `entry` (a path relative to the working
// directory) with the merge applied: pass them to build() as they are.
export async function mergedChunks(options, name, entry, { minBytes, budget }) {
  const extra = await plan({ ...options, entryPoints: [entry] }, entry, minBytes, budget);
  const cwd = process.cwd();
  const imports = (path) =>
    extra
      .get(path)
      .map((m) => `import ${JSON.stringify(resolve(cwd, m))};`)
      .join('\n');
  const plugin = {
    name: 'merge-small-chunks',
    setup(b) {
      b.onResolve({ filter: /^dropkit-entry:/ }, (a) => ({
        path: a.path.slice('dropkit-entry:'.length),
        namespace: 'dropkit-wrap',
      }));
      // Only dynamic imports of our own modules that need extra imports are
      // wrapped; every other import resolves as usual.
      b.onResolve({ filter: /^\./ }, (a) => {
        if (a.kind !== 'dynamic-import' || a.namespace !== 'file') return undefined;
        const path = resolve(a.resolveDir, a.path).slice(cwd.length + 1);
        const ours = !path.startsWith('..') && !path.includes('node_modules/');
        return ours && extra.get(path)?.length ? { path, namespace: 'dropkit-wrap' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'dropkit-wrap' }, (a) => {
        const real = JSON.stringify(resolve(cwd, a.path));
        // The CLI runs for its effect; a module loaded by import() keeps its
        // exports (our modules have no default export; checked anyway).
        const body =
          a.path === entry
            ? `import ${real};`
            : `export * from ${real};${/\bexport default\b|as default\b/.test(readFileSync(a.path, 'utf8')) ? `\nexport { default } from ${real};` : ''}`;
        return { contents: `${imports(a.path)}\n${body}\n`, resolveDir: cwd, loader: 'js' };
      });
    },
  };
  return {
    ...options,
    entryPoints: { [name]: `dropkit-entry:${entry}` },
    plugins: [...(options.plugins ?? []), plugin],
  };
}
