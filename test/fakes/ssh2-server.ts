// Test helper: an SSH server written with ssh2's Server, on 127.0.0.1 only,
// for transport tests that need a real handshake without root or the lab. It
// accepts one generated client key, runs exec requests with `sh -c` on this
// machine (the tests only send harmless commands), and forwards direct-tcpip
// to 127.0.0.1 only, so it can also be a jump host. Keys, known_hosts and an
// ssh_config come in a temp dir the caller removes.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';

// ssh2 is CommonJS: named imports fail under Node's ESM loader.
const { Server, utils } = ssh2;

export interface FakeSshServer {
  port: number;
  /** The client key's file, and a known_hosts with the server's key for 127.0.0.1:port. */
  clientKey: string;
  knownHosts: string;
  /** ssh_config lines that reach the server with that key and known_hosts. */
  hostLines(alias: string, extra?: string[]): string[];
  /** Connections accepted so far (a jump test counts them). */
  connections(): number;
  /** The most connections at once that had not finished authenticating. */
  peakHandshakes(): number;
  /** direct-tcpip channels asked for (the server as a jump host). */
  forwards(): number;
  /** Connections open now. */
  liveConnections(): number;
  close(): Promise<void>;
}

function runExec(command: string, channel: ssh2.ServerChannel, children: Set<ChildProcess>) {
  const child = spawn('sh', ['-c', command], { stdio: 'pipe' });
  children.add(child);
  channel.pipe(child.stdin).on('error', () => undefined);
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  child.on('close', (code) => {
    children.delete(child);
    channel.exit(code ?? 255);
    channel.end();
  });
  channel.on('close', () => child.kill('SIGKILL'));
}

// direct-tcpip to 127.0.0.1 only.
function forward(
  accept: () => ssh2.ServerChannel,
  reject: () => void,
  info: ssh2.TcpipRequestInfo,
): void {
  const upstream = connect(info.destPort, '127.0.0.1');
  // As the real client does: Nagle plus delayed ACKs would add ~40 ms
  // to each round trip of a handshake carried through here.
  upstream.setNoDelay(true);
  upstream.once('error', () => reject());
  upstream.once('connect', () => {
    const channel = accept();
    channel.pipe(upstream).pipe(channel);
    channel.on('close', () => upstream.destroy());
  });
}

export interface FakeSshServerOptions {
  /** Holds every authentication this long, so that handshakes overlap. */
  authDelayMs?: number;
  /** Holds every direct-tcpip request this long (a jump host whose target does not answer). */
  forwardDelayMs?: number;
}

// ssh2's generateKeyPairSync strips every leading zero byte of an ed25519
// public key, so about one pair in 256 cannot be parsed back (mscdex/ssh2
// #1513): such a pair is drawn again.
function ed25519Pair(): ReturnType<typeof utils.generateKeyPairSync> {
  for (let i = 0; i < 16; i++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (
      !(utils.parseKey(pair.public) instanceof Error) &&
      !(utils.parseKey(pair.private) instanceof Error)
    )
      return pair;
  }
  throw new Error('no parseable ed25519 key pair in 16 draws');
}

export async function startFakeSshServer(
  dir: string,
  opts: FakeSshServerOptions = {},
): Promise<FakeSshServer> {
  const hostKey = ed25519Pair();
  const userKey = ed25519Pair();
  const allowed = utils.parseKey(userKey.public);
  if (allowed instanceof Error) throw allowed;
  const sockets = new Set<Socket>();
  const children = new Set<ChildProcess>();
  let accepted = 0;
  let forwarded = 0;
  // Handshakes in flight as this side sees them: from the accepted socket to
  // the end of authentication, or to the close of one that never got there.
  let handshaking = 0;
  let peak = 0;

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    accepted++;
    handshaking++;
    peak = Math.max(peak, handshaking);
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      handshaking--;
    };
    let closed = false;
    client.on('close', () => {
      closed = true;
      finished();
    });
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const ok =
        ctx.method === 'publickey' &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowed.getPublicSSH()) &&
        (!ctx.signature || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true);
      const answer = () => {
        // A held answer may find the client gone (a test killed its route).
        if (done) return;
        if (ok) ctx.accept();
        else ctx.reject(['publickey']);
      };
      // Only the signed attempt is held: the query before it is answered at once.
      const signed = ctx.method === 'publickey' && ctx.signature !== undefined;
      if (opts.authDelayMs && signed) setTimeout(answer, opts.authDelayMs);
      else answer();
    });
    client.on('ready', () => {
      finished();
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) =>
          runExec(info.command, acceptExec(), children),
        );
      });
      client.on('tcpip', (accept, reject, info) => {
        forwarded++;
        if (info.destIP !== '127.0.0.1') return reject();
        if (opts.forwardDelayMs)
          setTimeout(() => closed || forward(accept, reject, info), opts.forwardDelayMs);
        else forward(accept, reject, info);
      });
    });
  });
  const net = server as unknown as NetServer;
  // ssh2's own 'connection' event gives its client objects, which cannot be
  // destroyed; the TCP sockets come from the net server it wraps.
  const tcp = (server as unknown as { _srv: NetServer })._srv;
  tcp.on('connection', (s: Socket) => {
    s.setNoDelay(true);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = net.address() as { port: number };

  const clientKey = join(dir, 'client_key');
  await writeFile(clientKey, userKey.private, { mode: 0o600 });
  const knownHosts = join(dir, 'known_hosts');
  const [type, blob] = hostKey.public.trim().split(/\s+/);
  await writeFile(knownHosts, `[127.0.0.1]:${port} ${type} ${blob}\n`, { mode: 0o600 });

  return {
    port,
    clientKey,
    knownHosts,
    hostLines: (alias, extra = []) => [
      `Host ${alias}`,
      ...extra.map((l) => `  ${l}`),
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User tester',
      `  IdentityFile ${clientKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
    ],
    connections: () => accepted,
    peakHandshakes: () => peak,
    forwards: () => forwarded,
    liveConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of children) c.kill('SIGKILL');
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
