import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  connect as netConnect,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../kit/errors.js';
import { proxyFor } from '../../kit/upload/proxy.js';
import { putFile } from '../../kit/upload/put.js';
import { uploadTarget } from '../../kit/upload/target.js';
import { cli } from '../cli-helpers.js';

// `collect upload` against a real HTTP server on loopback that checks what a
// presigned S3 PUT or an Azure Put Blob needs: the method, the headers and
// the body's sha256. The bundle is a real lab bundle (test/fixtures/bundles).

const BUNDLE = new URL(
  '../fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz',
  import.meta.url,
).pathname;
const SHA = createHash('sha256').update(readFileSync(BUNDLE)).digest('hex');
const SIG = 'c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  sha256: string;
  bytes: number;
}

// Each request gets the next behaviour; then 201.
type Behaviour = 'ok' | '403' | '503' | 'drop';
let server: Server;
let base: string;
let script: Behaviour[] = [];
let seen: Seen[] = [];
let dir: string;

// The receiving end, for the plain loopback server and the TLS one alike.
function receive(req: IncomingMessage, res: ServerResponse): void {
  {
    const h = createHash('sha256');
    let bytes = 0;
    const behaviour = script.shift() ?? 'ok';
    if (behaviour === 'drop') {
      // The connection dies mid-body, as a proxy or a flaky link does.
      req.once('data', () => req.socket.destroy());
      return;
    }
    req.on('data', (c: Buffer) => {
      h.update(c);
      bytes += c.length;
    });
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        sha256: h.digest('hex'),
        bytes,
      });
      if (behaviour === '403') {
        res.writeHead(403, { 'Content-Type': 'application/xml' });
        // S3 echoes the signature it was given: it must never be printed.
        res.end(
          `<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>${SIG}</SignatureProvided></Error>`,
        );
      } else if (behaviour === '503') {
        res.writeHead(503);
        res.end('<Error><Code>SlowDown</Code></Error>');
      } else {
        res.writeHead(201);
        res.end();
      }
    });
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dropkit-upload-'));
  server = createServer(receive);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const put = (url: string, retries = 2) =>
  putFile({
    target: uploadTarget(url),
    file: BUNDLE,
    bytes: readFileSync(BUNDLE).length,
    retries,
    backoffMs: () => 10,
    idleMs: 5000,
    signal: new AbortController().signal,
  });

describe('uploadTarget', () => {
  it('tells Azure Blob, S3 and plain PUT apart, and never shows the query', () => {
    const az = uploadTarget(
      `https://acct.blob.core.windows.net/case/b.tar.gz?sv=2022-11-02&sp=cw&sig=${SIG}`,
    );
    expect(az.kind).toBe('azure-blob');
    expect(az.headers).toEqual({ 'x-ms-blob-type': 'BlockBlob' });
    expect(az.shown).toBe('https://acct.blob.core.windows.net/case/b.tar.gz?<signature hidden>');
    const s3 = uploadTarget(
      `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SIG}`,
    );
    expect(s3.kind).toBe('s3');
    expect(s3.headers).toEqual({});
    expect(uploadTarget('https://upload.example.com/case/1').kind).toBe('put');
    for (const t of [az, s3]) expect(t.shown).not.toContain(SIG);
  });

  it('refuses plain http off this machine, credentials in the URL, and garbage', () => {
    for (const bad of ['http://10.0.0.1/x', 'ftp://h/x', 'https://u:p@h/x', 'not a url'])
      expect(() => uploadTarget(bad), bad).toThrow(DropkitError);
    expect(uploadTarget('http://127.0.0.1:9/x').kind).toBe('put');
  });
});

describe('putFile against a loopback server', () => {
  it('an Azure SAS PUT: the blob type header, the length, the exact bytes', async () => {
    seen = [];
    script = ['ok'];
    const r = await put(`${base}/case/b.tar.gz?sv=2022-11-02&sig=${SIG}`);
    expect(r).toEqual({ status: 201, attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', sha256: SHA });
    expect(seen[0]!.headers['x-ms-blob-type']).toBe('BlockBlob');
    expect(Number(seen[0]!.headers['content-length'])).toBe(seen[0]!.bytes);
  });

  it('a 403 is not retried, and the error has the code but never the signature', async () => {
    seen = [];
    script = ['403'];
    const e = await put(`${base}/k?X-Amz-Signature=${SIG}`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DropkitError);
    const err = e as DropkitError;
    expect(seen).toHaveLength(1);
    expect(err.message).toMatch(
      /failed after 1 attempt\(s\): HTTP 403 Forbidden \(SignatureDoesNotMatch\)/,
    );
    expect(err.hint).toMatch(/presigned URL expires/);
    expect(JSON.stringify({ m: err.message, h: err.hint })).not.toContain(SIG);
  });

  it('a 503 and a dropped connection are retried, and the whole file is sent again', async () => {
    seen = [];
    script = ['503', 'drop', 'ok'];
    const r = await put(`${base}/k?X-Amz-Signature=${SIG}`, 3);
    expect(r).toEqual({ status: 201, attempts: 3 });
    // The 503 and the final success read the whole body; the drop did not.
    expect(seen.map((s) => s.sha256)).toEqual([SHA, SHA]);
  });

  it('retries run out: the last reason is given', async () => {
    script = ['503', '503'];
    await expect(put(`${base}/k`, 1)).rejects.toThrow(/failed after 2 attempt\(s\): HTTP 503/);
  });
});

describe('collect upload (the built CLI)', () => {
  it('verifies, uploads, prints the sha256 the receiver sees, never the query', async () => {
    seen = [];
    script = ['ok'];
    const file = join(dir, 'bundle.tar.gz');
    copyFileSync(BUNDLE, file);
    writeFileSync(join(dir, 'bundle.map.json'), '{"entries":[]}');
    const r = await cli('collect', [
      'upload',
      file,
      '--url',
      `${base}/case/x?sv=1&sig=${SIG}`,
      '--yes',
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, sha256: SHA, kind: 'azure-blob', attempts: 1 });
    expect(seen.map((s) => s.sha256)).toEqual([SHA]);
    expect(r.stdout + r.stderr).not.toContain(SIG);
  });

  it('keeps NODE_EXTRA_CA_CERTS for upload only (a proxy CA), dropping it elsewhere for startup time', async () => {
    // Node warns at startup when the file cannot be read: the warning shows
    // whether the variable reached it.
    // The bin itself (its sh header decides), as a user runs it.
    const bin = (args: string[]) =>
      execa('dist/bin/collect.js', args, {
        reject: false,
        env: { NODE_EXTRA_CA_CERTS: join(dir, 'no-such-ca.pem') },
      });
    const up = await bin(['upload', BUNDLE, '--url', `${base}/x`]);
    expect(up.stderr).toMatch(/extra certs/i);
    const other = await bin(['--version']);
    expect(other.exitCode).toBe(0);
    expect(other.stderr).not.toMatch(/extra certs/i);
  });

  it('a bundle that fails verification is refused before any request; the map is never sent', async () => {
    seen = [];
    const bad = join(dir, 'bad.tar.gz');
    const bytes = readFileSync(BUNDLE);
    const at = bytes.length - 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(bad, bytes);
    const r = await cli('collect', ['upload', bad, '--url', `${base}/x`, '--yes']);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(/fails verification/);
    const m = await cli('collect', [
      'upload',
      join(dir, 'bundle.map.json'),
      '--url',
      `${base}/x`,
      '--yes',
    ]);
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toMatch(/that is the map/);
    // Off a terminal, without --yes: refused, nothing sent.
    const q = await cli('collect', ['upload', BUNDLE, '--url', `${base}/x`]);
    expect(q.exitCode).toBe(2);
    expect(seen).toEqual([]);
  });
});

// Through a corporate proxy: HTTPS_PROXY, an HTTP CONNECT tunnel, TLS to the
// storage end inside it. A real CONNECT proxy on loopback (it records what
// it was asked and wants credentials), a real HTTPS server on loopback whose
// certificate the CLI trusts through NODE_EXTRA_CA_CERTS, as a TLS-inspecting
// proxy's CA would be.
describe('collect upload through an HTTPS_PROXY', () => {
  let tls: HttpsServer;
  let proxy: NetServer;
  let tlsUrl: string;
  let proxyPort: number;
  let connects: Array<{ line: string; auth: string | undefined }> = [];
  const open = new Set<Socket>();
  const AUTH = `Basic ${Buffer.from('dk:s3cret').toString('base64')}`;

  beforeAll(async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, receive);
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    proxy = createNetServer((client) => {
      open.add(client);
      client.on('close', () => open.delete(client));
      let head = '';
      const onData = (c: Buffer) => {
        head += c.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        client.off('data', onData);
        const lines = head.slice(0, end).split('\r\n');
        const auth = lines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]+:\s*/, '');
        connects.push({ line: lines[0]!, auth });
        const m = /^CONNECT 127\.0\.0\.1:(\d+) HTTP/.exec(lines[0]!);
        if (auth !== AUTH) {
          client.end(
            'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n',
          );
          return;
        }
        if (!m) {
          client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
          return;
        }
        const up = netConnect(Number(m[1]), '127.0.0.1', () => {
          open.add(up);
          up.on('close', () => open.delete(up));
          client.write('HTTP/1.1 200 Connection established\r\n\r\n');
          up.write(head.slice(end + 4), 'latin1');
          client.pipe(up).pipe(client);
        });
        up.on('error', () => client.destroy());
        client.on('error', () => up.destroy());
      };
      client.on('data', onData);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyPort = (proxy.address() as AddressInfo).port;
    // The tunnels and keep-alive connections are cut, or close() waits on them.
    return async () => {
      for (const c of open) c.destroy();
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
      await new Promise((r) => proxy.close(r));
    };
  });

  // Both spellings, set here so a proxy of the machine running the tests never applies.
  const env = (proxyUrl: string) => ({
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
    NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
  });

  it('tunnels through the proxy with its credentials; the proxy sees only host:port', async () => {
    seen = [];
    connects = [];
    script = ['ok'];
    const file = join(dir, 'proxied.tar.gz');
    copyFileSync(BUNDLE, file);
    const port = new URL(tlsUrl).port;
    const r = await cli(
      'collect',
      ['upload', file, '--url', `${tlsUrl}/case/p.tar.gz?sv=1&sig=${SIG}`, '--yes', '--json'],
      env(`http://dk:s3cret@127.0.0.1:${proxyPort}`),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      sha256: SHA,
      proxy: `http://127.0.0.1:${proxyPort}`,
    });
    expect(connects).toEqual([{ line: `CONNECT 127.0.0.1:${port} HTTP/1.1`, auth: AUTH }]);
    expect(seen.map((x) => [x.method, x.sha256])).toEqual([['PUT', SHA]]);
    // Neither the signature nor the proxy password is ever printed.
    expect(r.stdout + r.stderr).not.toMatch(new RegExp(`${SIG}|s3cret`));
  });

  it('a proxy that wants credentials: a clear error naming the proxy, never a direct connection', async () => {
    seen = [];
    connects = [];
    const r = await cli(
      'collect',
      ['upload', BUNDLE, '--url', `${tlsUrl}/case/q.tar.gz?sig=${SIG}`, '--yes'],
      env(`http://127.0.0.1:${proxyPort}`),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`the proxy http://127.0.0.1:${proxyPort} refused the tunnel`);
    expect(r.stderr).toMatch(/HTTP 407/);
    expect(r.stderr).toMatch(/wants credentials/);
    expect(connects).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it('NO_PROXY names the hosts reached directly', () => {
    const target = new URL('https://acct.blob.core.windows.net/c/b?sig=x');
    const e = { HTTPS_PROXY: 'http://u:p@proxy.corp:3128' };
    expect(proxyFor(target, e)).toEqual({
      host: 'proxy.corp',
      port: 3128,
      shown: 'http://proxy.corp:3128',
      auth: `Basic ${Buffer.from('u:p').toString('base64')}`,
    });
    for (const no of ['*', '.windows.net', 'core.windows.net', 'acct.blob.core.windows.net:443'])
      expect(proxyFor(target, { ...e, NO_PROXY: no }), no).toBeUndefined();
    for (const no of ['windows.com', 'acct.blob.core.windows.net:8443', 'blob'])
      expect(proxyFor(target, { ...e, no_proxy: no }), no).toBeDefined();
    expect(proxyFor(new URL('http://127.0.0.1:9/x'), e)).toBeUndefined();
    expect(() => proxyFor(target, { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(/not supported/);
  });
});
