import { type ReproParts, reproBundleParts } from '../../bundles/repro-bundle.js';
import type { RunRecord } from '../../repro/run/record.js';
import { runRepro } from '../../repro/run/run.js';
import * as h from '../repro/run-hosts.js';
import { azureSampler, azureSnapshot, quietTracer, type VfDriver } from './azure-pair.js';

// A whole `repro run` whose receiver is the Azure VM of azure-pair.ts, through
// the fake transport, and the bundle parts it makes.
export async function azureRun(d: VfDriver): Promise<{ rec: RunRecord; parts: ReproParts }> {
  const rec = await runRepro(
    h.options(
      h.pair({
        vmB: () => ({
          [h.SNAPSHOT_BEFORE]: azureSnapshot(d, 'before'),
          [h.SNAPSHOT_AFTER]: azureSnapshot(d, 'after'),
          [h.SAMPLER]: azureSampler(d),
          [h.TRACER]: quietTracer,
        }),
      }),
    ),
  );
  const parts = reproBundleParts(rec, {
    createdAt: new Date(),
    command: ['repro', 'run'],
    redacted: false,
  });
  return { rec, parts };
}
