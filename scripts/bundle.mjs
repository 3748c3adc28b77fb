// Bundles the two CLIs from tsc's output into dist/bin with esbuild.
// Why: loading execa and the archive code as hundreds of small modules cost about
// 140 ms per run; bundled they load in about 15. Code splitting keeps the
// dynamic imports lazy (the bundle writer loads while a host is snapshotted,
// ssh2 only when a host is remote). ssh2 stays external: it is CommonJS with
// an optional native part.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { mergedChunks } from './bundle-chunks.mjs';

// Stale chunks from earlier builds would otherwise pile up beside the new ones.
rmSync('dist/bin', { recursive: true, force: true });
// One build per CLI: chunks shared between the two would cut each CLI's
// startup path into more modules than it needs (each one a load).
// Chunks under 32 KiB are folded into larger ones (bundle-chunks.mjs): a
// file loaded costs about as much as compiling 16 KiB more, and far more on
// a busy machine.
for (const cli of ['repro', 'collect']) {
  const options = {
    outdir: 'dist/bin',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2', 'cpu-features'],
    chunkNames: `chunks/${cli}-[name]-[hash]`,
    // Bundled CommonJS dependencies call require().
    banner: {
      js: "import { createRequire as __dkCreateRequire } from 'node:module'; const require = __dkCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    legalComments: 'none',
  };
  const merge = { minBytes: 32 * 1024, budget: 128 * 1024 };
  await build(await mergedChunks(options, cli, `dist/kit/cli/bin/${cli}.js`, merge));
}

// The bins start as sh and re-exec node without NODE_EXTRA_CA_CERTS: node
// reads and parses that CA file at startup, before any of our code runs
// (33 ms of a 140 ms `collect bundle --local` on a machine that sets it),
// and only `collect upload` makes a TLS connection: it keeps the variable
// (a TLS-inspecting proxy's CA is exactly what it is for). The second line
// is valid sh (`:` then the exec) and valid JavaScript (a string, then a
// comment), so `node dist/bin/collect.js` still works as is.
const HEADER = `#!/bin/sh
':' //; case " $* " in *" upload "*) ;; *) unset NODE_EXTRA_CA_CERTS ;; esac; exec node "$0" "$@"
`;
for (const bin of ['dist/bin/repro.js', 'dist/bin/collect.js']) {
  const js = readFileSync(bin, 'utf8');
  writeFileSync(bin, HEADER + js.replace(/^#!.*\n/, ''));
  // esbuild made it executable only when the entry began with #! (the
  // chunk merge wraps the entry).
  chmodSync(bin, 0o755);
}
