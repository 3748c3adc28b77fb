import { asDropkitError, type DropkitError } from '../../kit/errors.js';
import { type Opener, openAll } from '../../kit/transport/open.js';
import { type LeftoverReport, restoreLeftovers } from './leftovers.js';
import { localRecords } from './local-record.js';

// `repro restore` on every host given, each on its own: one host out of reach
// never keeps the others from being restored.

export type HostOutcome =
  | { host: string; report: LeftoverReport }
  | { host: string; error: DropkitError };

export async function restoreHosts(specs: readonly string[], open: Opener): Promise<HostOutcome[]> {
  const records = await localRecords(specs);
  const opened = await openAll(specs, open);
  return Promise.all(
    opened.map(async (o): Promise<HostOutcome> => {
      if ('error' in o)
        return {
          host: o.spec,
          error: asDropkitError(o.error, { code: 'CONNECT_FAILED', host: o.spec }),
        };
      try {
        const mine = records.filter((r) => r.host === o.spec);
        return { host: o.spec, report: await restoreLeftovers(o.transport, o.spec, mine) };
      } catch (e) {
        return {
          host: o.spec,
          error: asDropkitError(e, { code: 'RESTORE_FAILED', host: o.spec, step: 'restore' }),
        };
      } finally {
        await o.transport.close().catch(() => undefined);
      }
    }),
  );
}
