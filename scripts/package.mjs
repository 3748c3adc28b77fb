// `npm run package`: dropkit as one file, Node's single executable
// application for linux-x64: dist/package/dropkit-linux-x64 and its
// sha256 beside it (`sha256sum -c` reads that file). Both tools are in it
// (kit/cli/bin/dropkit.ts); Node is not needed where it runs.
//
// How (https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html):
// - esbuild makes one CommonJS file of the whole CLI (tsc's output, so run
//   after `npm run build`): the executable's main script must be one
//   CommonJS file, and can require only Node's built-in modules. ssh2's
//   optional native parts (cpu-features, sshcrypto.node) are left out: ssh2
//   tries them and falls back to its JavaScript, as after an npm install
//   without build scripts.
// - What the CLI reads beside its code becomes assets (kit/sea.ts):
//   package.json, the built-in profiles as one JSON object, uPlot's files.
// - node makes the preparation blob (with V8's code cache: less to compile
//   at each start); postject, the Node project's own injector, writes it
//   into a copy of this node binary.
//
// Usage: node scripts/package.mjs [--out DIR]

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const NAME = 'dropkit-linux-x64';
const ENTRY = 'dist/kit/cli/bin/dropkit.js';

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const outArg = process.argv.indexOf('--out');
const out = resolve(
  outArg > 0 ? (process.argv[outArg + 1] ?? fail('--out needs a directory')) : 'dist/package',
);
if (process.platform !== 'linux' || process.arch !== 'x64')
  fail(
    `builds for linux-x64 only, from a linux-x64 node (this is ${process.platform}-${process.arch})`,
  );
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12))
  fail(`needs Node >= 20.12 (assets in single executables); this is ${process.version}`);
try {
  readFileSync(ENTRY);
} catch {
  fail(`${ENTRY} is missing: run \`npm run build\` first (\`npm run package\` does)`);
}
// A distribution's node is often built without the fuse postject looks for.
if (!readFileSync(process.execPath).includes(FUSE))
  fail(
    `${process.execPath} was built without single-executable support; use an official Node build`,
  );

const work = join(out, '.work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const main = join(work, 'dropkit.cjs');
await build({
  entryPoints: [ENTRY],
  outfile: main,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['cpu-features', '*.node'],
  // Each use of import.meta.url reads a file beside the code, and each is
  // behind a check for the asset that replaces the file in here (kit/sea.ts).
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
  legalComments: 'none',
});

const req = createRequire(import.meta.url);
const profiles = {};
for (const f of readdirSync('repro/profiles')
  .filter((f) => f.endsWith('.yaml'))
  .sort())
  profiles[f.slice(0, -'.yaml'.length)] = readFileSync(join('repro/profiles', f), 'utf8');
writeFileSync(join(work, 'profiles.json'), JSON.stringify(profiles));
const assets = {
  'package.json': resolve('package.json'),
  'profiles.json': join(work, 'profiles.json'),
};
for (const rel of ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'LICENSE'])
  assets[`uplot/${rel}`] = req.resolve(`uplot/${rel}`);

const blob = join(work, 'sea-prep.blob');
writeFileSync(
  join(work, 'sea-config.json'),
  JSON.stringify({
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets,
  }),
);
// It says "Wrote single executable preparation blob" on stderr: kept for errors only.
const prep = spawnSync(
  process.execPath,
  ['--experimental-sea-config', join(work, 'sea-config.json')],
  {
    encoding: 'utf8',
  },
);
if (prep.status !== 0) fail(`node --experimental-sea-config failed: ${prep.stderr.trim()}`);

const exe = join(out, NAME);
rmSync(exe, { force: true });
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// As a child: LIEF, inside postject, warns about each ELF note section it
// cannot name, which is harmless (Node's own docs show the same lines).
const injected = spawnSync(
  process.execPath,
  [req.resolve('postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE],
  { encoding: 'utf8' },
);
const noise = /^warning: Can't find string offset for section name '\.note[^']*'$/;
const said = `${injected.stdout}\n${injected.stderr}`
  .split('\n')
  .filter((l) => l.trim() && !noise.test(l));
if (injected.status !== 0) fail(`postject failed (exit ${injected.status}): ${said.join('\n')}`);

const sha = createHash('sha256').update(readFileSync(exe)).digest('hex');
writeFileSync(`${exe}.sha256`, `${sha}  ${basename(exe)}\n`);
rmSync(work, { recursive: true, force: true });
const mib = (readFileSync(exe).length / 1048576).toFixed(1);
console.log(`${exe} (${mib} MiB, node ${process.version})\nsha256: ${sha}`);
