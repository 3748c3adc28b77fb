// Bundles the two CLIs from tsc's output into dist/bin with esbuild.
// Why: loading execa and archiver as hundreds of small modules cost about
// 140 ms per run; bundled they load in about 15. Code splitting keeps the
// dynamic imports lazy (the bundle writer loads while a host is snapshotted,
// ssh2 only when a host is remote). ssh2 stays external: it is CommonJS with
// an optional native part.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// dropkit hands archiver in-memory buffers only (bundles/archive.ts). The
// parts of archiver for files on disk, globs and zip (readdir-glob with
// minimatch, lazystream with its own copy of readable-stream, zip-stream) are
// a third of its code and about 8 ms of parsing on every `collect bundle`:
// they are replaced by stubs that throw if anything ever reaches them.
const UNUSED_ARCHIVER_PARTS = {
  'readdir-glob': `export default { ReaddirGlob: class { constructor() { throw new Error('readdir-glob is not bundled: dropkit archives buffers only'); } } };`,
  lazystream: `export class Readable { constructor() { throw new Error('lazystream is not bundled: dropkit archives buffers only'); } }`,
  'zip-stream': `export default class { constructor() { throw new Error('zip-stream is not bundled: dropkit writes tar.gz only'); } }`,
};
// And two of its dependencies by what they stand for on Node 20:
// readable-stream is a copy of Node's own stream module (180 KB, about 8 ms
// more), and its documented READABLE_STREAM=disable mode re-exports the
// built-in one, as this does; of async, archiver uses only `queue`.
const SLIMMER = {
  ...UNUSED_ARCHIVER_PARTS,
  'readable-stream': `import Stream from 'node:stream'; export const { Transform, PassThrough, Readable, Writable, Duplex, pipeline, finished } = Stream; export default Stream.Readable;`,
  async: `export { default as queue } from 'async/queue.js';`,
};
const stubs = {
  name: 'slimmer-archiver',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(SLIMMER).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'slim' }));
    b.onLoad({ filter: /.*/, namespace: 'slim' }, (args) => ({
      contents: SLIMMER[args.path],
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

// Stale chunks from earlier builds would otherwise pile up beside the new ones.
rmSync('dist/bin', { recursive: true, force: true });
// One build per CLI: chunks shared between the two would cut each CLI's
// startup path into more modules than it needs (each one a load).
for (const cli of ['repro', 'collect']) {
  await build({
    entryPoints: { [cli]: `dist/kit/cli/bin/${cli}.js` },
    outdir: 'dist/bin',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2', 'cpu-features'],
    plugins: [stubs],
    chunkNames: `chunks/${cli}-[name]-[hash]`,
    // Bundled CommonJS dependencies (archiver's streams) call require().
    banner: {
      js: "import { createRequire as __dkCreateRequire } from 'node:module'; const require = __dkCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    legalComments: 'none',
  });
}

// The bins start as sh and re-exec node without NODE_EXTRA_CA_CERTS: node
// reads and parses that CA file at startup, before any of our code runs
// (33 ms of a 140 ms `collect bundle --local` on a machine that sets it),
// and dropkit makes no TLS connection. The second line is valid sh (`:`
// then the exec) and valid JavaScript (a string, then a comment), so
// `node dist/bin/collect.js` still works as is.
const HEADER = `#!/bin/sh
':' //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
`;
for (const bin of ['dist/bin/repro.js', 'dist/bin/collect.js']) {
  const js = readFileSync(bin, 'utf8');
  writeFileSync(bin, HEADER + js.replace(/^#!.*\n/, ''), { mode: 0o755 });
}
