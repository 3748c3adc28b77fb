import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { DropkitError } from '../errors.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
import { SshTransport } from './ssh.js';
import { authCandidates } from './ssh-auth.js';
import { classifyConnectError } from './ssh-errors.js';
import { preferredHostKeyAlgorithms, verifyHostKey } from './ssh-host-key.js';
import { resolveTarget, type SshTarget } from './ssh-target.js';
import type { AuthMethod, ConnectionInfo, HostKeyInfo } from './types.js';

// Connecting: ssh config, ProxyJump hops through forwardOut, the handshake
// with host-key checking and authentication. The connection itself is an
// SshTransport (ssh.ts).

export interface SshConnectOptions {
  configFiles: string[];
  acceptNewHostKey?: boolean;
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
}

interface Handshake {
  client: Client;
  authMethod: AuthMethod;
  hostKey: HostKeyInfo;
}

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
  opts.debug?.(
    `${target.name}: connecting to ${target.user}@${r.hostName}:${target.port}${sock ? ' (via jump host)' : ''}`,
  );
  return new Promise<Handshake>((resolve, reject) => {
    client.once('ready', () =>
      resolve({ client, authMethod: current, hostKey: keyOutcome.hostKey! }),
    );
    client.once('error', (e: Error & { level?: string }) => {
      client.end();
      if (keyOutcome.error) return reject(keyOutcome.error);
      reject(
        classifyConnectError(e, {
          host: target.name,
          address: r.hostName,
          port: target.port,
          user: target.user,
          timeoutMs,
          tried,
        }),
      );
    });
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

export async function connectSsh(spec: string, opts: SshConnectOptions): Promise<SshTransport> {
  const started = performance.now();
  const target = await resolveTarget(spec, { configFiles: opts.configFiles });
  for (const w of target.warnings) opts.debug?.(`ssh config: ${w}`);
  const hops: Client[] = [];
  const via: string[] = [];
  let sock: Duplex | undefined;
  try {
    // ProxyJump: each hop is reached through the previous one with
    // direct-tcpip (forwardOut), exactly like `ssh -J a,b target`.
    for (const hopSpec of target.resolved.proxyJump ?? []) {
      const hop = await resolveTarget(hopSpec, {
        configFiles: opts.configFiles,
        viaJump: hops.length > 0,
      });
      const hs = await handshake(hop, opts, sock);
      hops.push(hs.client);
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
    return new SshTransport(info, hs.client, hops);
  } catch (e) {
    for (const h of hops) h.end();
    throw e;
  }
}
