import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';

// An upload leaves a corporate network through its proxy, as curl and the
// cloud CLIs do: HTTPS_PROXY (or https_proxy) for an https:// URL, through
// an HTTP CONNECT tunnel, so the proxy sees the host name and never the
// request or its signed query. NO_PROXY (or no_proxy) lists the exceptions:
// `*`, host names that match themselves and their subdomains (a leading
// dot or `*.` is ignored), IP addresses, each with an optional :port.
// Plain http:// is allowed for loopback only (target.ts) and never proxied.

export interface UploadProxy {
  host: string;
  port: number;
  // http://proxy:3128, never the credentials.
  shown: string;
  // The Proxy-Authorization value, from user:password in the proxy URL.
  auth?: string;
}

function env(e: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = e[name.toLowerCase()] ?? e[name.toUpperCase()];
  return v?.trim() || undefined;
}

export function bypassed(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\*?\./, ''));
    const name = (m?.[1] ?? '').replace(/^\[|\]$/g, '');
    if (!name || (m?.[2] && Number(m[2]) !== port)) continue;
    if (h === name || h.endsWith(`.${name}`)) return true;
  }
  return false;
}

// The proxy for an upload URL, or undefined to connect directly. A proxy
// setting that is not an http:// URL is an error, never a silent direct
// connection past the proxy the operator set.
export function proxyFor(target: URL, e: NodeJS.ProcessEnv = process.env): UploadProxy | undefined {
  if (target.protocol !== 'https:') return undefined;
  const raw = env(e, 'https_proxy');
  if (!raw) return undefined;
  const port = Number(target.port || 443);
  if (bypassed(target.hostname, port, env(e, 'no_proxy'))) return undefined;
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new Error('HTTPS_PROXY is not a URL (expected http://host:port)');
  }
  if (url.protocol !== 'http:')
    throw new Error(
      `HTTPS_PROXY ${url.protocol}// proxies are not supported: use an http:// proxy URL (the tunnel inside is TLS)`,
    );
  const shown = `http://${url.host}`;
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    shown,
    ...(user || url.password
      ? {
          auth: `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}`,
        }
      : {}),
  };
}

export class TunnelError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly hint?: string,
  ) {
    super(message);
  }
}

// A TCP stream to host:port through the proxy (CONNECT), for TLS on top.
export function tunnel(
  proxy: UploadProxy,
  host: string,
  port: number,
  idleMs: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const req = httpRequest({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: {
        Host: authority,
        ...(proxy.auth ? { 'Proxy-Authorization': proxy.auth } : {}),
      },
    });
    req.setTimeout(idleMs, () =>
      req.destroy(new Error(`the proxy ${proxy.shown} did not answer in ${idleMs / 1000} s`)),
    );
    req.on('connect', (res, socket) => {
      req.setTimeout(0);
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      const status = res.statusCode ?? 0;
      reject(
        new TunnelError(
          `the proxy ${proxy.shown} refused the tunnel to ${authority}: HTTP ${status} ${res.statusMessage ?? ''}`.trim(),
          status >= 500,
          status === 407
            ? 'the proxy wants credentials: put them in HTTPS_PROXY (http://user:password@proxy:port)'
            : `check HTTPS_PROXY, or list ${host} in NO_PROXY to connect directly`,
        ),
      );
    });
    req.on('error', (e) => reject(new TunnelError(`the proxy ${proxy.shown}: ${e.message}`, true)));
    req.end();
  });
}
