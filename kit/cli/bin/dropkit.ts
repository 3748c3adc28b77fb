import { basename } from 'node:path';
import * as sea from 'node:sea';
import { useSeaAssets } from '../../sea.js';
import { packageVersion } from '../../version.js';
import { dispatch, dispatchHelp } from '../tool-dispatch.js';

// The entry of the single-file executable (scripts/package.mjs bundles it as
// CommonJS, which a single executable application requires: so no top-level
// await). Tests and the npm install use bin/collect.ts and bin/repro.ts.
async function run(): Promise<number> {
  if (sea.isSea()) useSeaAssets(sea);
  const name = basename(process.argv0);
  const d = dispatch(name, process.argv.slice(2));
  if ('show' in d) {
    process.stdout.write(d.show === 'version' ? `${packageVersion()}\n` : dispatchHelp(name));
    return 0;
  }
  if ('error' in d) {
    process.stderr.write(`error: ${d.error}\n(add --help for usage)\n`);
    return 2;
  }
  const { main } =
    d.tool === 'collect' ? await import('../collect.js') : await import('../repro.js');
  // main() reads argv as process.argv gives it: an interpreter, a script, the arguments.
  return main([process.execPath, d.tool, ...d.args]);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
