import { DropkitError } from '../errors.js';
import { HandshakeGate } from './handshake-gate.js';
import { JumpCache } from './jump-cache.js';
import { type Opener, type OpenOptions, openTransport } from './open.js';

// Opening many hosts at once, as a fleet command does: at most `parallel`
// SSH handshakes in flight (jump hosts and targets alike), and one connection
// per jump host, shared by every target behind it. Each host is still opened
// by openTransport, with the same config files and warnings as a single one.

export interface HandshakeStats {
  // SSH handshakes started, jump hosts included.
  handshakes: number;
  // The most that were in flight at one instant; never above `parallel`.
  peakInFlight: number;
  // Jump-host connections made: one per hop chain, however many targets.
  jumpConnections: number;
}

export interface FleetOpener {
  open: Opener;
  stats(): HandshakeStats;
  // Ends the shared jump-host connections; call it once every transport
  // opened through this opener is closed.
  close(): Promise<void>;
}

export function createFleetOpener(opts: OpenOptions & { parallel: number }): FleetOpener {
  const { parallel, ...openOptions } = opts;
  // A bound of 0 would never let a handshake start.
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new DropkitError({
      code: 'USAGE',
      message: `parallel must be a whole number of at least 1, not ${parallel}`,
    });
  const handshakes = new HandshakeGate(parallel);
  const jumps = new JumpCache();
  return {
    open: (spec) => openTransport(spec, openOptions, { handshakes, jumps }),
    stats: () => ({ ...handshakes.stats(), jumpConnections: jumps.connections() }),
    close: () => jumps.close(),
  };
}
