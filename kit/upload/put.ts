import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { DropkitError } from '../errors.js';
import { TunnelError, tunnel, type UploadProxy } from './proxy.js';
import { retryable, statusHint, type UploadTarget } from './target.js';

// One file PUT to an upload URL, with retries on throttling, server errors
// and lost connections (each attempt sends the whole file again: a presigned
// PUT has no resume). A refusal (4xx) is not retried. Nothing here prints the
// URL's query or the response body: an S3 error echoes the signature
// (<SignatureProvided>), so only its <Code> is kept.

export interface PutOptions {
  target: UploadTarget;
  file: string;
  bytes: number;
  // Attempts after the first.
  retries: number;
  // Wait before attempt n (1-based retry number).
  backoffMs: (retry: number) => number;
  // No byte in either direction for this long: the attempt failed.
  idleMs: number;
  signal: AbortSignal;
  // Through this proxy's CONNECT tunnel (proxy.ts), for an https:// URL.
  proxy?: UploadProxy;
  onProgress?: (sent: number, total: number) => void;
  onRetry?: (retry: number, reason: string) => void;
}

export interface PutResult {
  status: number;
  attempts: number;
}

type Attempt =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; reason: string; status?: number; hint?: string };

// The <Code> of an S3 or Azure error document, if it has one.
function errorCode(body: string): string | undefined {
  return /<Code>([A-Za-z0-9]{1,64})<\/Code>/.exec(body)?.[1];
}

function readSome(res: IncomingMessage, cap: number): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      if (body.length < cap) body += c.slice(0, cap - body.length);
    });
    res.on('end', () => resolve(body));
    res.on('error', () => resolve(body));
  });
}

async function attempt(o: PutOptions): Promise<Attempt> {
  const { url } = o.target;
  if (!o.proxy || url.protocol !== 'https:') return send(o);
  let socket: Socket;
  try {
    socket = await tunnel(o.proxy, url.hostname, Number(url.port || 443), o.idleMs);
  } catch (e) {
    if (e instanceof TunnelError)
      return { ok: false, retry: e.retry, reason: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    return { ok: false, retry: true, reason: String(e) };
  }
  if (o.signal.aborted) {
    socket.destroy();
    return { ok: false, retry: false, reason: 'interrupted' };
  }
  return send(o, socket);
}

// One PUT, on its own connection or on TLS over a proxy's tunnel. The
// server's certificate is checked against the URL's host either way.
function send(o: PutOptions, tunnelled?: Socket): Promise<Attempt> {
  return new Promise((resolve) => {
    const { url, headers, kind } = o.target;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'PUT',
      headers: {
        ...headers,
        'Content-Length': String(o.bytes),
        'Content-Type': 'application/gzip',
      },
      ...(tunnelled
        ? {
            createConnection: () =>
              tlsConnect({ socket: tunnelled, host, ...(isIP(host) ? {} : { servername: host }) }),
          }
        : {}),
    });
    let settled = false;
    const done = (a: Attempt) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      resolve(a);
    };
    const onAbort = () => {
      req.destroy();
      done({ ok: false, retry: false, reason: 'interrupted' });
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(o.idleMs, () => req.destroy(new Error(`no progress for ${o.idleMs / 1000} s`)));
    req.on('error', (e) => done({ ok: false, retry: true, reason: e.message }));
    req.on('response', async (res) => {
      const status = res.statusCode ?? 0;
      const body = await readSome(res, 64 * 1024);
      if (status >= 200 && status < 300) return done({ ok: true, status });
      const code = errorCode(body);
      done({
        ok: false,
        retry: retryable(status),
        status,
        reason: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() + (code ? ` (${code})` : ''),
        hint: statusHint(status, kind),
      });
    });
    let sent = 0;
    const file = createReadStream(o.file);
    file.on('data', (c) => {
      sent += c.length;
      o.onProgress?.(sent, o.bytes);
    });
    file.on('error', (e) => {
      req.destroy();
      done({ ok: false, retry: false, reason: `cannot read the bundle: ${e.message}` });
    });
    file.pipe(req);
  });
}

export async function putFile(o: PutOptions): Promise<PutResult> {
  for (let n = 0; ; n++) {
    if (n > 0) {
      await new Promise((r) => setTimeout(r, o.backoffMs(n)));
      if (o.signal.aborted) break;
    }
    const a = await attempt(o);
    if (a.ok) return { status: a.status, attempts: n + 1 };
    if (a.reason === 'interrupted') break;
    if (!a.retry || n >= o.retries)
      throw new DropkitError({
        code: 'UPLOAD_FAILED',
        message: `PUT ${o.target.shown} failed after ${n + 1} attempt(s): ${a.reason}`,
        step: 'upload',
        ...(a.hint ? { hint: a.hint } : {}),
      });
    o.onRetry?.(n + 1, a.reason);
  }
  throw new DropkitError({ code: 'ABORTED', message: 'upload interrupted', step: 'upload' });
}
