import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { DropkitError } from '../errors.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
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
  const timeoutMs =
    opts.connectTimeoutMs ?? (r.connectTimeoutSec ? r.connectTimeoutSec * 1000 : 10_000);
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
    // ssh2 may report several errors for one failure (EPIPE, then the lost
    // connection): the first one decides, and later ones must still have a
    // listener or they would be thrown.
    // The client is ended once the cause is known: ending it closes the
    // proxy's stdin, and a proxy that then exits must not be blamed.
    const fail = (e: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      classify(e)
        .then(reject, reject)
        .finally(() => client.end());
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
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
    client.connect(config);
    // Small request/response exchanges: without this, Nagle plus delayed ACKs
    // add ~40 ms to every exec round trip.
    client.setNoDelay(true);
  });
}

function forwardOut(via: Client, host: string, port: number, name: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, host, port, (err, stream) =>
      err
        ? reject(
            new DropkitError({
              code: 'CONNECT_FAILED',
              message: `jump host could not reach ${host}:${port}: ${err.message}`,
              host: name,
              step: 'proxy jump',
              hint: 'check the ProxyJump host can reach the target (AllowTcpForwarding on the jump host)',
            }),
          )
        : resolve(stream),
    );
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

export async function connectSsh(spec: string, opts: SshConnectOptions): Promise<SshTransport> {
  const started = performance.now();
  const target = await resolveTarget(spec, { configFiles: opts.configFiles });
  reportWarnings(target, opts);
  // Everything that ends with this connection, oldest first: jump-host
  // connections and ProxyCommand processes.
  const linked: Array<{ end(): void }> = [];
  const hops: Client[] = [];
  const via: string[] = [];
  let sock: Duplex | undefined;
  const keep = (hs: Handshake) => {
    if (hs.proxy) linked.push({ end: () => hs.proxy?.stop() });
  };
  try {
    // ProxyJump: each hop is reached through the previous one with
    // direct-tcpip (forwardOut), exactly like `ssh -J a,b target`; the first
    // one directly or through its own ProxyCommand.
    for (const hopSpec of target.resolved.proxyJump ?? []) {
      const hop = await resolveTarget(hopSpec, {
        configFiles: opts.configFiles,
        viaJump: hops.length > 0,
      });
      reportWarnings(hop, opts, hopSpec);
      const hs = await handshake(hop, opts, sock);
      keep(hs);
      hops.push(hs.client);
      linked.push(hs.client);
      via.push(hopSpec);
      const next: { host: string; port: number } = {
        host: target.resolved.hostName,
        port: target.port,
      };
      const nextHopIndex = via.length;
      const nextSpec = target.resolved.proxyJump?.[nextHopIndex];
      if (nextSpec) {
        const nt = await resolveTarget(nextSpec, { configFiles: opts.configFiles, viaJump: true });
        next.host = nt.resolved.hostName;
        next.port = nt.port;
      }
      sock = await forwardOut(hs.client, next.host, next.port, spec);
    }
    const hs = await handshake(target, opts, sock);
    keep(hs);
    const info: ConnectionInfo = {
      name: spec,
      address: target.resolved.hostName,
      port: target.port,
      user: target.user,
      isRoot: target.user === 'root',
      authMethod: hs.authMethod,
      hostKey: hs.hostKey,
      via,
      connectMs: performance.now() - started,
    };
    return new SshTransport(info, hs.client, linked);
  } catch (e) {
    for (const l of [...linked].reverse()) l.end();
    throw e;
  }
}
