import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { DropkitError } from '../errors.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
import type { HandshakeGate } from './handshake-gate.js';
import type { JumpCache, SharedHop } from './jump-cache.js';
import { jumpFailedError, jumpLostError } from './jump-errors.js';
import { proxyExitedError, proxyTimeoutError } from './proxy-errors.js';
import { type ProxyProcess, startProxyCommand } from './proxy-process.js';
import { SshTransport } from './ssh.js';
import { authCandidates } from './ssh-auth.js';
import { classifyConnectError } from './ssh-errors.js';
import { preferredHostKeyAlgorithms, verifyHostKey } from './ssh-host-key.js';
import { resolveTarget, type SshTarget } from './ssh-target.js';
import type { AuthMethod, ConnectionInfo, HostKeyInfo } from './types.js';

// Connecting: ssh config, ProxyJump hops through forwardOut or a ProxyCommand,
// the handshake with host-key checking and authentication. The connection
// itself is an SshTransport (ssh.ts).

export interface SshConnectOptions {
  configFiles: string[];
  acceptNewHostKey?: boolean;
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
  // Config problems that make dropkit behave otherwise than ssh would: shown
  // whether or not --debug is given.
  warn?: (line: string) => void;
  // A fleet's: jump-host connections shared by every target behind them (and
  // left open when one target closes), and the bound on handshakes in flight.
  // Without them, each connection has its own hops, closed with it.
  jumps?: JumpCache;
  handshakes?: HandshakeGate;
}

interface Handshake {
  client: Client;
  authMethod: AuthMethod;
  hostKey: HostKeyInfo;
  proxy?: ProxyProcess;
}

// How long a failed handshake waits for its ProxyCommand to exit, so that the
// error can quote the whole of its stderr.
const PROXY_EXIT_WAIT_MS = 500;
const LOST_STREAM = /Connection lost before handshake|closed during the handshake/;
// How long a target that failed behind a shared jump host waits for that
// host's own connection to report its loss, which then is the reason.
const JUMP_LOSS_WAIT_MS = 300;

// What the host key check decided, for the handshake's error path.
interface KeyOutcome {
  hostKey?: HostKeyInfo;
  error?: DropkitError;
}

// ssh2's hostVerifier: known_hosts decides, and the outcome is kept so a
// refused key is reported as such rather than as a failed handshake.
function hostVerifier(
  entries: Parameters<typeof verifyHostKey>[0],
  ctx: Parameters<typeof verifyHostKey>[1],
  out: KeyOutcome,
) {
  return (key: Buffer, verify: (ok: boolean) => void) => {
    verifyHostKey(entries, ctx, key)
      .then((d) => {
        if (d.ok) out.hostKey = d.info;
        else out.error = d.error;
        verify(d.ok);
      })
      .catch((e: unknown) => {
        out.error = new DropkitError({
          code: 'INTERNAL',
          message: `host key check failed: ${String(e)}`,
          host: ctx.name,
          step: 'host key',
        });
        verify(false);
      });
  };
}

async function handshake(
  target: SshTarget,
  opts: SshConnectOptions,
  sock?: Duplex,
): Promise<Handshake> {
  const r = target.resolved;
  // Only a host reached directly runs its own ProxyCommand: a hop behind a
  // jump host is reached through that host, as `ssh -J` overrides it.
  const proxy =
    sock === undefined && r.proxyCommandLine !== undefined
      ? startProxyCommand(r.proxyCommandLine)
      : undefined;
  try {
    return await handshakeOver(target, opts, sock ?? proxy?.sock, proxy);
  } catch (e) {
    proxy?.stop();
    throw e;
  }
}

async function handshakeOver(
  target: SshTarget,
  opts: SshConnectOptions,
  sock: Duplex | undefined,
  proxy: ProxyProcess | undefined,
): Promise<Handshake> {
  const r = target.resolved;
  const lookupHost = r.hostKeyAlias ?? r.hostName;
  // OpenSSH looks a HostKeyAlias up without a port.
  const lookupPort = r.hostKeyAlias ? 22 : target.port;
  const timeoutMs = connectTimeoutOf(target, opts);
  // The user's files and the system-wide ones (/etc/ssh/ssh_known_hosts),
  // as OpenSSH reads them; new keys are only ever appended to the user's.
  const known = await loadKnownHosts([...r.userKnownHostsFiles, ...r.globalKnownHostsFiles]);
  for (const w of known.warnings) opts.debug?.(`${target.name}: known_hosts: ${w}`);
  const { candidates, notes } = await authCandidates(r.identityFiles, r.identitiesOnly ?? false);
  for (const n of notes) opts.debug?.(`${target.name}: ${n}`);
  const tried: string[] = [];
  let current: AuthMethod = 'publickey';
  const keyOutcome: KeyOutcome = {};
  const client = new ssh2.Client();
  const algorithms = preferredHostKeyAlgorithms(known.entries, lookupHost, lookupPort);
  const config: ConnectConfig = {
    host: r.hostName,
    port: target.port,
    username: target.user,
    readyTimeout: timeoutMs,
    keepaliveInterval: (r.serverAliveIntervalSec ?? 15) * 1000,
    keepaliveCountMax: r.serverAliveCountMax ?? 3,
    ...(sock ? { sock } : {}),
    ...(algorithms ? { algorithms: { serverHostKey: algorithms as never } } : {}),
    hostVerifier: hostVerifier(
      known.entries,
      {
        name: target.name,
        files: r.userKnownHostsFiles,
        lookupHost,
        port: lookupPort,
        strict: r.strictHostKeyChecking,
        acceptNew: !!opts.acceptNewHostKey,
      },
      keyOutcome,
    ),
    authHandler: (_left, _partial, next) => {
      const c = candidates.shift();
      if (!c) return next(false as never);
      tried.push(c.label);
      current = c.kind;
      if (c.kind === 'agent')
        return next({ type: 'agent', username: target.user, agent: c.agent! } as never);
      return next({ type: 'publickey', username: target.user, key: c.key! } as never);
    },
  };
  const route = proxy ? ` (via ProxyCommand: ${proxy.command})` : sock ? ' (via jump host)' : '';
  opts.debug?.(`${target.name}: connecting to ${target.user}@${r.hostName}:${target.port}${route}`);
  const classify = async (e: Error & { level?: string }) => {
    if (keyOutcome.error) return keyOutcome.error;
    if (proxy) {
      const ctx = { host: target.name, command: proxy.command, stderr: '' };
      if (e.level === 'client-timeout') {
        ctx.stderr = proxy.stderr();
        return proxyTimeoutError(ctx, timeoutMs, e);
      }
      // A proxy that died shows up as a lost stream (or EPIPE), often before
      // its exit does: wait for the exit, which says why. Other failures
      // (authentication, protocol) are the server's, whatever the proxy does.
      if (e.level === 'client-socket' || LOST_STREAM.test(e.message)) {
        const exit = await proxy.exited(PROXY_EXIT_WAIT_MS);
        ctx.stderr = proxy.stderr();
        if (exit) return proxyExitedError(ctx, exit, e);
      }
    }
    return classifyConnectError(e, {
      host: target.name,
      address: r.hostName,
      port: target.port,
      user: target.user,
      timeoutMs,
      tried,
    });
  };
  return new Promise<Handshake>((resolve, reject) => {
    let settled = false;
    let ended: () => void = () => undefined;
    // ssh2 may report several errors for one failure (EPIPE, then the lost
    // connection): the first one decides, and later ones must still have a
    // listener or they would be thrown.
    // The client is ended once the cause is known: ending it closes the
    // proxy's stdin, and a proxy that then exits must not be blamed.
    const fail = (e: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      ended();
      classify(e)
        .then(reject, reject)
        .finally(() => client.end());
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      ended();
      // A connection lost later takes its proxy with it.
      if (proxy) client.once('close', () => proxy.stop());
      resolve({
        client,
        authMethod: current,
        hostKey: keyOutcome.hostKey!,
        ...(proxy ? { proxy } : {}),
      });
    });
    client.on('error', fail);
    // A stream that closes after the server's banner brings no error of its own.
    client.once('close', () => fail(new Error('connection closed during the handshake')));
    // Counted here, where ssh2 starts: the bound is checked on what happened.
    if (opts.handshakes) ended = opts.handshakes.begin();
    client.connect(config);
    // Small request/response exchanges: without this, Nagle plus delayed ACKs
    // add ~40 ms to every exec round trip.
    client.setNoDelay(true);
  });
}

function connectTimeoutOf(target: SshTarget, opts: SshConnectOptions): number {
  const sec = target.resolved.connectTimeoutSec;
  return opts.connectTimeoutMs ?? (sec ? sec * 1000 : 10_000);
}

const FORWARD_HINT =
  'check the ProxyJump host can reach the target (AllowTcpForwarding on the jump host)';

// `timeoutMs`: how long the jump host may take to open the channel. Only a
// fleet sets it: there the wait holds a handshake slot, and a target the jump
// host cannot reach (its SYNs dropped) would hold it for minutes.
function forwardOut(
  via: Client,
  host: string,
  port: number,
  name: string,
  timeoutMs?: number,
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    if (timeoutMs !== undefined)
      timer = setTimeout(() => {
        late = true;
        reject(
          new DropkitError({
            code: 'CONNECT_TIMEOUT',
            message: `jump host could not reach ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`,
            host: name,
            step: 'proxy jump',
            hint: FORWARD_HINT,
          }),
        );
      }, timeoutMs);
    try {
      via.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
        clearTimeout(timer);
        // A channel that opens after the deadline is no one's.
        if (late) return void stream?.close();
        if (!err) return resolve(stream);
        reject(
          new DropkitError({
            code: 'CONNECT_FAILED',
            message: `jump host could not reach ${host}:${port}: ${err.message}`,
            host: name,
            step: 'proxy jump',
            hint: FORWARD_HINT,
          }),
        );
      });
    } catch (e) {
      // A connection already gone throws ("Not connected") instead of calling back.
      clearTimeout(timer);
      reject(e);
    }
  });
}

// Config problems for the user: the files' own (a line ignored) once, and a
// host's settings that dropkit goes on without once per host (the caller
// drops repeats).
function reportWarnings(target: SshTarget, opts: SshConnectOptions, hop?: string): void {
  const warn = opts.warn ?? opts.debug;
  for (const w of target.warnings) warn?.(`ssh config: ${w}`);
  const who = hop === undefined ? target.name : `jump host "${hop}"`;
  for (const w of target.hostWarnings) warn?.(`${who}: ssh config: ${w}`);
}

// One host reached: through `via` (a jump host) when given, else directly or
// by its ProxyCommand. In a fleet, one handshake slot covers opening the
// socket too: a forwarded connection or a proxy reaches sshd, and counts
// against its MaxStartups, before the handshake starts.
function reach(
  host: SshTarget,
  opts: SshConnectOptions,
  via: Client | undefined,
  name: string,
): Promise<Handshake> {
  const go = async () => {
    const deadline = opts.handshakes ? connectTimeoutOf(host, opts) : undefined;
    const sock = via
      ? await forwardOut(via, host.resolved.hostName, host.port, name, deadline)
      : undefined;
    return handshake(host, opts, sock);
  };
  return opts.handshakes ? opts.handshakes.run(go) : go();
}

// ProxyJump: each hop is reached through the previous one with direct-tcpip
// (forwardOut), exactly like `ssh -J a,b target`; the first one directly or
// through its own ProxyCommand. These hops are this connection's own, and end
// with it (they go into `linked`).
async function ownHops(
  spec: string,
  chain: readonly string[],
  opts: SshConnectOptions,
  linked: Array<{ end(): void }>,
): Promise<Client | undefined> {
  let via: Client | undefined;
  for (const [i, hopSpec] of chain.entries()) {
    const hop = await resolveTarget(hopSpec, { configFiles: opts.configFiles, viaJump: i > 0 });
    reportWarnings(hop, opts, hopSpec);
    const hs = await reach(hop, opts, via, spec);
    keep(hs, linked);
    linked.push(hs.client);
    via = hs.client;
  }
  return via;
}

// The same hops, shared through the fleet's cache: the first target behind a
// chain prefix opens it, the others wait for that one handshake.
async function sharedHops(
  spec: string,
  chain: readonly string[],
  opts: SshConnectOptions,
  jumps: JumpCache,
): Promise<SharedHop[]> {
  const hops: SharedHop[] = [];
  for (const [i, hopSpec] of chain.entries()) {
    const prev = hops.at(-1);
    let hop: SharedHop;
    try {
      hop = await jumps.hop(chain.slice(0, i + 1), async () => {
        const t = await resolveTarget(hopSpec, { configFiles: opts.configFiles, viaJump: i > 0 });
        reportWarnings(t, opts, hopSpec);
        const hs = await reach(t, opts, prev?.client, hopSpec);
        return { client: hs.client, ...(hs.proxy ? { stop: () => hs.proxy?.stop() } : {}) };
      });
    } catch (e) {
      // An earlier hop that died is the reason, not the one it could not carry.
      const dead = deadHop(hops);
      throw dead
        ? jumpLostError(spec, dead.name, dead.lost(), 'CONNECT_FAILED')
        : jumpFailedError(spec, hopSpec, e);
    }
    const why = hop.lost();
    if (why) throw jumpLostError(spec, hopSpec, why, 'CONNECT_FAILED');
    hops.push(hop);
  }
  return hops;
}

// The first hop of the chain that is gone: the ones after it went with it.
function deadHop(hops: readonly SharedHop[]): SharedHop | undefined {
  return hops.find((h) => h.lost() !== undefined);
}

// A target that failed behind shared hops: when one of them is gone (or goes
// within a moment, its connection reporting after the target's channel), the
// jump host is the reason. A refused login or host key is the target's own,
// and is not held up waiting.
async function hopLoss(
  spec: string,
  hops: readonly SharedHop[],
  e: unknown,
): Promise<DropkitError | undefined> {
  if (hops.length === 0) return undefined;
  let dead = deadHop(hops);
  const mayBeRoute = !(e instanceof DropkitError) || e.code === 'CONNECT_FAILED';
  if (!dead && mayBeRoute) {
    await Promise.race(hops.map((h) => h.lostWithin(JUMP_LOSS_WAIT_MS)));
    dead = deadHop(hops);
  }
  return dead ? jumpLostError(spec, dead.name, dead.lost(), 'CONNECT_FAILED') : undefined;
}

function keep(hs: Handshake, linked: Array<{ end(): void }>): void {
  if (hs.proxy) linked.push({ end: () => hs.proxy?.stop() });
}

export async function connectSsh(spec: string, opts: SshConnectOptions): Promise<SshTransport> {
  const started = performance.now();
  const target = await resolveTarget(spec, { configFiles: opts.configFiles });
  reportWarnings(target, opts);
  const chain = target.resolved.proxyJump ?? [];
  // Everything that ends with this connection, oldest first: its own
  // jump-host connections and ProxyCommand processes (never shared ones).
  const linked: Array<{ end(): void }> = [];
  let shared: SharedHop[] = [];
  try {
    let via: Client | undefined;
    if (opts.jumps) {
      shared = await sharedHops(spec, chain, opts, opts.jumps);
      via = shared.at(-1)?.client;
    } else {
      via = await ownHops(spec, chain, opts, linked);
    }
    let hs: Handshake;
    try {
      hs = await reach(target, opts, via, spec);
    } catch (e) {
      throw (await hopLoss(spec, shared, e)) ?? e;
    }
    keep(hs, linked);
    const info: ConnectionInfo = {
      name: spec,
      address: target.resolved.hostName,
      port: target.port,
      user: target.user,
      isRoot: target.user === 'root',
      authMethod: hs.authMethod,
      hostKey: hs.hostKey,
      via: [...chain],
      connectMs: performance.now() - started,
    };
    // A target lost with its shared jump host says so, not just "lost".
    const explainLoss =
      shared.length > 0
        ? () => {
            const dead = deadHop(shared);
            return dead && jumpLostError(spec, dead.name, dead.lost(), 'CONNECTION_LOST');
          }
        : undefined;
    return new SshTransport(info, hs.client, linked, explainLoss);
  } catch (e) {
    for (const l of [...linked].reverse()) l.end();
    throw e;
  }
}
