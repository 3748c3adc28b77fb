import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropkitError } from '../../kit/errors.js';
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dropkit-upload-'));
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
  });
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
