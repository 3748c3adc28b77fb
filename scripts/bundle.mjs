// Bundles the two CLIs from tsc's output into dist/bin with esbuild.
// Why: loading execa and archiver as hundreds of small modules cost about
// 140 ms per run; bundled they load in about 15. Code splitting keeps the
// dynamic imports lazy (the bundle writer loads while a host is snapshotted,
// ssh2 only when a host is remote). ssh2 stays external: it is CommonJS with
// an optional native part.
import { build } from 'esbuild';

await build({
  entryPoints: { repro: 'dist/kit/cli/repro.js', collect: 'dist/kit/cli/collect.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'cpu-features'],
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (archiver's streams) call require().
  banner: {
    js: "import { createRequire as __dkCreateRequire } from 'node:module'; const require = __dkCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
