import { DropkitError } from '../kit/errors.js';
import { type Opener, openAll } from '../kit/transport/open.js';
import type { BundleInput } from './bundle-input.js';
import { captureNode } from './capture-node.js';
import type { ShareRequest } from './identity-share.js';
import type { BundleOutcome } from './write-parts.js';

// `collect bundle`: every host at once, each over its own connection (an
// optional drop-reason trace, then one snapshot), then the bundle. The
// connection opener is passed in, like the reproduction's: the CLI's opens
// SSH or this machine, a test's answers from a table
// (test/fakes/fake-transport.ts).

// What the writer takes as it is (bundle-input.ts), plus how to collect.
export interface NodeBundleOptions
  extends Pick<
    BundleInput,
    'caseId' | 'note' | 'command' | 'outDir' | 'redact' | 'keywords' | 'keep' | 'debug'
  > {
  specs: string[];
  open: Opener;
  // Ctrl-C: cuts a trace short, stops a snapshot.
  signal: AbortSignal;
  // --trace-drops: seconds of drop-reason tracing before each snapshot.
  traceSeconds?: number;
  // Each line of logs/collect.log as it is written (the CLI shows it).
  onLog?: (line: string) => void;
  // --share-identity (identity-share.ts).
  share?: ShareRequest;
}

// Throws only when no host could be collected at all; otherwise the bundle
// is written, partial when a host failed (the outcome's exit code says so).
export async function collectNodeBundle(o: NodeBundleOptions): Promise<BundleOutcome> {
  // The writer (packing, redaction) loads while the hosts are snapshotted:
  // deferred a turn of the event loop so that compiling it does not hold
  // back the snapshot's exec.
  const modules = new Promise<void>((r) => setImmediate(r)).then(() =>
    Promise.all([
      import('./node-bundle.js'),
      import('./write-parts.js'),
      import('./identity-share.js'),
    ]),
  );
  const logs: string[] = [];
  const log = (l: string) => {
    logs.push(`${new Date().toISOString()} ${l}`);
    o.onLog?.(l);
  };
  const opened = await openAll(o.specs, o.open);
  const captures = await Promise.all(
    opened.map((x, index) =>
      captureNode(x, index, {
        ...(o.traceSeconds ? { traceSeconds: o.traceSeconds } : {}),
        signal: o.signal,
        log,
      }),
    ),
  );
  if (captures.every((c) => !c.taken)) {
    throw new DropkitError({
      // Exit 5 only when no host could be reached at all.
      code: opened.every((x) => 'error' in x) ? 'CONNECT_FAILED' : 'COMMAND_FAILED',
      message: `no host could be collected: ${captures.map((c) => c.error).join('; ')}`,
      step: 'bundle',
      hint: 'run `collect doctor` on the hosts',
    });
  }
  const [{ nodeBundleParts }, { writeParts }, { withSharedIdentity }] = await modules;
  const createdAt = new Date();
  if (!o.redact)
    log(
      'WARNING: redaction is off: this bundle contains real addresses, names and any secrets the host printed',
    );
  const partsAt = performance.now();
  const { parts, identity } = await withSharedIdentity(
    (shared) =>
      nodeBundleParts(captures, {
        ...(o.caseId ? { caseId: o.caseId } : {}),
        ...(o.note ? { note: o.note } : {}),
        createdAt,
        logs,
        redacted: o.redact,
        ...(o.keep?.length ? { kept: o.keep } : {}),
        ...(shared ? { shared } : {}),
      }),
    o.share,
  );
  o.debug?.(`bundle: findings and summary in ${(performance.now() - partsAt).toFixed(1)} ms`);
  return writeParts('node', parts, {
    ...(o.caseId ? { caseId: o.caseId } : {}),
    command: o.command,
    outDir: o.outDir,
    redact: o.redact,
    keywords: o.keywords,
    ...(o.keep?.length ? { keep: o.keep } : {}),
    createdAt,
    ...(identity ? { identity } : {}),
    ...(o.debug ? { debug: o.debug } : {}),
  });
}
