import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprintSha256,
  formatKnownHostsLine,
  type KnownHostEntry,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypesFor,
  parseKnownHosts,
} from '../../../kit/ssh/known-hosts.js';
import { type GeneratedKey, generateKey, hasSshKeygen, keygen } from './keygen.js';

describe.skipIf(!hasSshKeygen)('known_hosts against OpenSSH ssh-keygen', () => {
  let dir: string;
  let ed: GeneratedKey;
  let ed2: GeneratedKey;
  let ecdsa: GeneratedKey;
  let rsa: GeneratedKey;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-kh-'));
    ed = generateKey(dir, 'ed', ['-t', 'ed25519']);
    ed2 = generateKey(dir, 'ed2', ['-t', 'ed25519']);
    ecdsa = generateKey(dir, 'ecdsa', ['-t', 'ecdsa', '-b', '256']);
    rsa = generateKey(dir, 'rsa', ['-t', 'rsa', '-b', '2048']);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = () => path.join(dir, 'known_hosts');

  it('reads the key type from the wire blob', () => {
    expect(keyTypeOfBlob(ed.blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(ecdsa.blob)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(rsa.blob)).toBe('ssh-rsa');
    expect(() => keyTypeOfBlob(Buffer.from([0, 0]))).toThrow(/too short/);
    expect(() => keyTypeOfBlob(Buffer.from([0, 0, 1, 0, 65]))).toThrow(/invalid type/);
  });

  it('computes fingerprints exactly like ssh-keygen -lf', () => {
    for (const key of [ed, ecdsa, rsa]) {
      const { stdout } = keygen(['-l', '-E', 'sha256', '-f', key.pubFile]);
      expect(fingerprintSha256(key.blob)).toBe(stdout.split(' ')[1]);
      expect(fingerprintSha256(key.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    }
  });

  it('matches names hashed by ssh-keygen -H', async () => {
    await writeFile(
      file(),
      [
        `host.example.com,10.0.0.5 ${ed.type} ${ed.base64} comment`,
        `[host.example.com]:2222 ${ecdsa.type} ${ecdsa.base64}`,
        `[::1]:2200 ${rsa.type} ${rsa.base64}`,
        '',
      ].join('\n'),
    );
    expect(keygen(['-H', '-f', file()]).status).toBe(0);
    const text = await readFile(file(), 'utf8');
    expect(text).not.toContain('host.example.com'); // really hashed now

    const { entries, warnings } = parseKnownHosts(text, file());
    expect(warnings).toEqual([]);
    // ssh-keygen -H writes one line per name of the comma-separated list.
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.hosts.kind === 'hashed')).toBe(true);

    expect(checkHostKey(entries, 'host.example.com', 22, ed.type, ed.blob)).toEqual({
      status: 'match',
    });
    expect(checkHostKey(entries, 'HOST.example.com', 22, ed.type, ed.blob)).toEqual({
      status: 'match',
    });
    expect(checkHostKey(entries, '10.0.0.5', 22, ed.type, ed.blob)).toEqual({ status: 'match' });
    expect(checkHostKey(entries, 'host.example.com', 2222, ecdsa.type, ecdsa.blob)).toEqual({
      status: 'match',
    });
    expect(checkHostKey(entries, '::1', 2200, 'rsa-sha2-512', rsa.blob)).toEqual({
      status: 'match',
    });
    // Same host, other port: a different known_hosts identity.
    expect(checkHostKey(entries, 'host.example.com', 2200, ed.type, ed.blob)).toEqual({
      status: 'unknown',
    });
    expect(checkHostKey(entries, 'other.example.com', 22, ed.type, ed.blob)).toEqual({
      status: 'unknown',
    });
  });

  it('reports a changed key of the same type with file and line', async () => {
    const text = [
      '# first line is a comment',
      `host.example.com ${ecdsa.type} ${ecdsa.base64}`,
      `host.example.com ${ed.type} ${ed.base64}`,
    ].join('\n');
    const { entries } = parseKnownHosts(text, '/k/known_hosts');
    expect(checkHostKey(entries, 'host.example.com', 22, ed2.type, ed2.blob)).toEqual({
      status: 'changed',
      knownTypes: ['ecdsa-sha2-nistp256', 'ssh-ed25519'],
      file: '/k/known_hosts',
      line: 3,
    });
  });

  it('returns unknown, not changed, when only other key types are known', () => {
    const { entries } = parseKnownHosts(`h ${ecdsa.type} ${ecdsa.base64}`, 'kh');
    expect(checkHostKey(entries, 'h', 22, ed.type, ed.blob)).toEqual({ status: 'unknown' });
    expect(knownKeyTypesFor(entries, 'h', 22)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypesFor(entries, 'h', 2222)).toEqual([]);
  });

  it('accepts a key when any line for the host matches, even if another differs', () => {
    const text = [`h ${ed2.type} ${ed2.base64}`, `h ${ed.type} ${ed.base64}`].join('\n');
    const { entries } = parseKnownHosts(text, 'kh');
    expect(checkHostKey(entries, 'h', 22, ed.type, ed.blob)).toEqual({ status: 'match' });
  });

  it('refuses @revoked keys and ignores @cert-authority lines for plain keys', () => {
    const text = [
      `@revoked * ${ed.type} ${ed.base64}`,
      `h ${ed.type} ${ed.base64}`,
      `@cert-authority *.example.com ${ecdsa.type} ${ecdsa.base64}`,
    ].join('\n');
    const { entries, warnings } = parseKnownHosts(text, 'kh');
    expect(warnings).toEqual([]);
    expect(entries.map((e) => e.marker)).toEqual(['revoked', undefined, 'cert-authority']);
    expect(checkHostKey(entries, 'h', 22, ed.type, ed.blob)).toEqual({ status: 'revoked' });
    expect(checkHostKey(entries, 'a.example.com', 22, ecdsa.type, ecdsa.blob)).toEqual({
      status: 'unknown',
    });
    expect(knownKeyTypesFor(entries, 'a.example.com', 22)).toEqual([]);
  });

  it('matches wildcard, negated and [host]:port patterns like ssh-keygen -F', async () => {
    const text = [
      `*.example.com,!bad.example.com ${ed.type} ${ed.base64}`,
      `[*.example.com]:2222,10.1.?.1 ${ecdsa.type} ${ecdsa.base64}`,
      `[web]:* ${rsa.type} ${rsa.base64}`,
    ].join('\n');
    await writeFile(file(), `${text}\n`);
    const { entries } = parseKnownHosts(text, file());
    const names = [
      ['a.example.com', 22],
      ['bad.example.com', 22],
      ['example.com', 22],
      ['a.example.com', 2222],
      ['bad.example.com', 2222],
      ['10.1.5.1', 22],
      ['10.1.55.1', 22],
      ['web', 2200],
      ['web', 22],
    ] as const;
    for (const [host, port] of names) {
      const ours = knownKeyTypesFor(entries, host, port).length > 0;
      const theirs = keygen(['-F', knownHostsName(host, port), '-f', file()]).status === 0;
      expect({ host, port, found: ours }).toEqual({ host, port, found: theirs });
    }
  });

  it('writes lines that ssh-keygen -F finds, hashed and plain', async () => {
    const lines = [
      formatKnownHostsLine('Hashed.Example.com', 22, ed.type, ed.blob, { hash: true }),
      formatKnownHostsLine('hashed.example.com', 2222, ecdsa.type, ecdsa.blob, { hash: true }),
      formatKnownHostsLine('plain.example.com', 2200, 'rsa-sha2-256', rsa.blob),
      formatKnownHostsLine('fd00::7', 2200, ed.type, ed.blob, { hash: true }),
    ];
    expect(lines[2]).toBe(`[plain.example.com]:2200 ssh-rsa ${rsa.base64}`);
    await writeFile(file(), `${lines.join('\n')}\n`);
    for (const name of [
      'hashed.example.com',
      '[hashed.example.com]:2222',
      '[plain.example.com]:2200',
      '[fd00::7]:2200',
    ]) {
      const r = keygen(['-F', name, '-f', file()]);
      expect({ name, status: r.status }).toEqual({ name, status: 0 });
    }
    expect(keygen(['-F', '[hashed.example.com]:2200', '-f', file()]).status).toBe(1);
    const { entries } = parseKnownHosts(lines.join('\n'), 'kh');
    expect(checkHostKey(entries, 'hashed.example.com', 22, ed.type, ed.blob)).toEqual({
      status: 'match',
    });
  });

  it('hashes deterministically with a given salt', () => {
    const salt = Buffer.alloc(20, 7);
    const line = formatKnownHostsLine('h', 22, ed.type, ed.blob, { hash: true, salt });
    expect(line.startsWith(`|1|${salt.toString('base64')}|`)).toBe(true);
    expect(formatKnownHostsLine('h', 22, ed.type, ed.blob, { hash: true, salt })).toBe(line);
  });

  it('refuses to write unsafe host names or mismatched types', () => {
    expect(() => formatKnownHostsLine('a,b', 22, ed.type, ed.blob)).toThrow(/unsafe host/);
    expect(() => formatKnownHostsLine('*.x', 22, ed.type, ed.blob)).toThrow(/unsafe host/);
    expect(() => formatKnownHostsLine('a b', 22, ed.type, ed.blob)).toThrow(/unsafe host/);
    expect(() => formatKnownHostsLine('h', 22, 'ssh-rsa', ed.blob)).toThrow(/does not match/);
  });

  it('turns bad lines into warnings with file:line and keeps the good ones', () => {
    const text = [
      `good ${ed.type} ${ed.base64}`,
      `@bogus h ${ed.type} ${ed.base64}`,
      'truncated',
      `h ${ed.type}`,
      `h ${ed.type} not*base64`,
      `h ssh-rsa ${ed.base64}`,
      `|1|c2FsdA==|aGFzaA== ${ed.type} ${ed.base64}`,
      `|2|x|y ${ed.type} ${ed.base64}`,
      'h 2048 65537 1234567890',
      `h ${ed.type} AAAA`,
      `   # indented comment`,
      '',
      `last ${ed.type} ${ed.base64}\r`,
    ].join('\n');
    const { entries, warnings } = parseKnownHosts(text, '/kh');
    expect(entries.map((e: KnownHostEntry) => [e.line, e.hosts])).toEqual([
      [1, { kind: 'patterns', patterns: 'good' }],
      [13, { kind: 'patterns', patterns: 'last' }],
    ]);
    expect(warnings).toEqual([
      '/kh:2: unknown marker "@bogus"',
      expect.stringMatching(/^\/kh:3: expected/),
      expect.stringMatching(/^\/kh:4: expected/),
      '/kh:5: key for ssh-ed25519 is not valid base64',
      '/kh:6: key type "ssh-rsa" does not match key data ("ssh-ed25519")',
      '/kh:7: malformed hashed host name',
      '/kh:8: unsupported hashed host format',
      '/kh:9: legacy SSH1 RSA key ignored',
      expect.stringMatching(/^\/kh:10: SSH key blob/),
    ]);
  });

  it('keeps comments', () => {
    const { entries } = parseKnownHosts(`h ${ed.type} ${ed.base64} added by  dropkit`, 'kh');
    expect(entries[0]?.comment).toBe('added by dropkit');
  });
});

describe('parseKnownHosts robustness', () => {
  it('never throws and labels every warning with file:line', () => {
    const token = fc.constantFrom(
      '@revoked',
      '@cert-authority',
      '@x',
      '|1|',
      '|',
      'h',
      '[h]:22',
      'ssh-ed25519',
      'AAAA',
      'AAAAC3NzaC1lZDI1NTE5',
      '=',
      '#',
      ' ',
      '\t',
      ',',
      '!',
      '*',
    );
    const line = fc.array(token, { maxLength: 8 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const { warnings } = parseKnownHosts(lines.join('\n'), 'kh');
        for (const w of warnings) expect(w).toMatch(/^kh:\d+: /);
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => void parseKnownHosts(text, 'kh')));
  });
});
