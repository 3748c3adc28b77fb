import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSecret } from '../../../bundles/case-secret.js';
import { createRedactor } from '../../../bundles/redact/index.js';
import { redactInputs } from '../../../bundles/redact-input/redact-run.js';
import { verifyBundle } from '../../../bundles/verify.js';
import { loadCapture } from '../../../collectors/offline/load.js';
import { type Member, sosFiles, writeTar } from '../../collectors/offline/craft-archive.js';

// A sos-layout archive with planted values, among them the cases `sos clean` misses: an address
// inside a host name, a name first seen in the last member, host-identifying MACs, a 2-letter
// host name, IPv6 in every spelling, an Azure resource id, a SAS token, a private key.

const dir = mkdtempSync(join(tmpdir(), 'dropkit-redact-corpus-'));
const prevConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(() => {
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(() => {
  if (prevConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = prevConfig;
  rmSync(dir, { recursive: true, force: true });
});

const TOP = 'sosreport-vm-2026-12-07-abcdefg';
const KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const SAS_SIG = 'AbCdEf1234567890abcdEFGHijklMNOPqrstUVwx%2B%3D';
const AZURE_ID =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-c1c2c3c4c5c6/resourceGroups/rg-prodeu/providers/Microsoft.Compute/virtualMachines/vmprod01';

// Every planted value, as it must not appear anywhere in the output.
const PLANTED = [
  '10.1.2.3',
  'ip-10-1-2-3',
  '10-1-2-3',
  'lateseen',
  '10.7.7.7',
  '10-7-7-7',
  '02:42:ac:11:00:02',
  '33:33:ff:12:34:56',
  '2603:1030:40c:a::17',
  '2603:1030:040c:000a:0000:0000:0000:0017',
  '2603:1030:40C:A::17',
  '2603:1030:40c:a:0:0:0:17',
  'rg-prodeu',
  'vmprod01',
  '0b1f6471-1bf0-4dda-aec3-c1c2c3c4c5c6',
  SAS_SIG,
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'corp.example',
];

function members(): Member[] {
  const at = (rel: string, data: string, extra: Partial<Member> = {}): Member => ({
    name: `${TOP}/${rel}`,
    data,
    ...extra,
  });
  return [
    { name: `${TOP}/`, type: 'directory' },
    at('hostname', 'vm\n'),
    // The host name spelling its address comes before the `ip addr` that shows it.
    at('sos_commands/general/uname_-a', 'Linux ip-10-1-2-3 6.1.0-28-cloud-amd64 #1 SMP x86_64\n'),
    // Early file, naming a host first listed in etc/hosts, the archive's last member.
    at(
      'sos_commands/logs/journalctl_--no-pager',
      `Dec 07 vm sshd[1]: from lateseen port 22\nDec 07 peer ip-10-7-7-7 up\n${KEY}\n`,
    ),
    at(
      'sos_commands/networking/ip_-o_addr',
      [
        '1: lo    inet 127.0.0.1/8 scope host lo',
        '2: eth0    inet 10.1.2.3/24 brd 10.1.2.255 scope global eth0',
        '2: eth0    inet6 2603:1030:40c:a::17/64 scope global',
        '3: docker0    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff',
      ].join('\n'),
    ),
    at(
      'sos_commands/networking/ip_maddr_show',
      '2: eth0\n    link  33:33:ff:12:34:56\n    link  01:00:5e:00:00:01\n',
    ),
    at(
      'sos_commands/networking/ipv6_spellings',
      'a 2603:1030:040c:000a:0000:0000:0000:0017\nb 2603:1030:40C:A::17\nc 2603:1030:40c:a:0:0:0:17\n',
    ),
    at(
      'var/log/waagent.log',
      `resource ${AZURE_ID}\nblob https://acct.blob.core.windows.net/c/b?sv=2021-08-06&sr=b&sp=r&sig=${SAS_SIG}\n`,
      {
        mode: 0o640,
      },
    ),
    at('var/log/binary.journal', 'LPKSHHRH\u0000\u0000\u0000 10.1.2.3'),
    { name: `${TOP}/proc/self`, type: 'symlink', linkname: '1234' },
    { name: `${TOP}/proc/net`, type: 'symlink', linkname: 'self/net' },
    { name: `${TOP}/escape`, type: 'symlink', linkname: '../../../../etc/passwd' },
    at('proc/1234/net/dev', 'Inter-|   Receive\n  eth0: 1 2 3\n'),
    ...sosFiles(TOP),
    at('etc/resolv.conf', 'search corp.example\nnameserver 168.63.129.16\n'),
    at('etc/hosts', '127.0.0.1 localhost\n10.7.7.7 lateseen.corp.example lateseen\n'),
  ];
}

interface OutMember {
  name: string;
  type: string;
  mode: number;
  linkname?: string;
  data: Buffer;
}

async function readTgz(file: string): Promise<OutMember[]> {
  const out: OutMember[] = [];
  const ex = tar.extract();
  ex.on('entry', (h, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: unknown) => parts.push(c as Buffer));
    stream.on('end', () => {
      out.push({
        name: h.name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        data: Buffer.concat(parts),
      });
      next();
    });
  });
  const done = new Promise<void>((r, j) => {
    ex.on('finish', () => r());
    ex.on('error', j);
  });
  const gz = createGunzip();
  gz.pipe(ex);
  gz.end(readFileSync(file));
  await done;
  return out;
}

describe('collect redact: a planted sos-layout archive', () => {
  const input = join(dir, `${TOP}.tar.gz`);
  let out: OutMember[] = [];
  let result: Awaited<ReturnType<typeof redactInputs>>;
  let outFile = '';
  beforeAll(async () => {
    mkdirSync(join(dir, 'in'));
    await writeTar(input, members());
    result = await redactInputs({ inputs: [input], caseId: 'corpus', outDir: join(dir, 'in') });
    outFile = result.outputs[0]!.output!;
    out = await readTgz(outFile);
  });

  it('writes <name>-redacted.tar.gz with its name redacted, and a 0600 map beside it', () => {
    expect(outFile).toMatch(/\/sosreport-k[0-9a-f]-2026-12-07-abcdefg-redacted\.tar\.gz$/);
    const map = result.outputs[0]!.map;
    expect(map).toBe(outFile.replace(/\.tar\.gz$/, '.map.json'));
    expect(statSync(map).mode & 0o777).toBe(0o600);
    const entries = JSON.parse(readFileSync(map, 'utf8')).entries as Array<{ original: string }>;
    expect(entries.map((e) => e.original)).toEqual(
      expect.arrayContaining(['10.1.2.3', 'lateseen']),
    );
  });

  it('leaves no planted value in any content, name or link target', () => {
    const all = out
      .map((m) => `${m.name}\n${m.linkname ?? ''}\n${m.data.toString('latin1')}`)
      .join('\n');
    for (const v of PLANTED) expect(all.toLowerCase(), v).not.toContain(v.toLowerCase());
    expect(all).toContain('<REDACTED:private-key>');
    expect(all).toContain('sig=<REDACTED:secret>');
    // Kept: loopback, the Azure platform address, a multicast group MAC.
    expect(all).toContain('127.0.0.1');
    expect(all).toContain('168.63.129.16');
    expect(all).toContain('01:00:5e:00:00:01');
  });

  it('the 2-letter host name is replaced, and a name first seen in the last member is replaced in an early one', () => {
    const journal = out.find((m) => m.name.endsWith('journalctl_--no-pager'))!.data.toString();
    expect(journal).not.toMatch(/\bvm\b/);
    expect(journal).not.toContain('lateseen');
    expect(journal).toMatch(/from \S{8} port 22/);
    const host = out.find((m) => /\/hostname$/.test(m.name))!;
    expect(host.data.toString()).toMatch(/^k[0-9a-f]\n$/);
  });

  it('all IPv6 spellings of one address get one token, in their own spelling', () => {
    const text = out.find((m) => m.name.endsWith('ipv6_spellings'))!.data.toString();
    const [a, b, c] = text
      .trim()
      .split('\n')
      .map((l) => l.slice(2));
    expect(a).toMatch(/^3fff:[0-9a-f]{4}:0[0-9a-f]{3}:000[0-9a-f]:0000:0000:0000:00[0-9a-f]{2}$/);
    const norm = (s: string) =>
      s
        .toLowerCase()
        .split(':')
        .map((g) => g.replace(/^0+(?=.)/, ''))
        .join(':');
    expect(norm(a!)).toBe(norm(c!).replace(/:0:0:0:/, ':0:0:0:'));
    expect(b).toBe(b!.toUpperCase());
    expect(b!.toLowerCase()).toBe(
      `${norm(a!).split(':').slice(0, 4).join(':')}::${norm(a!).split(':')[7]}`,
    );
  });

  it('keeps modes and in-root links; skips the escaping link and the binary file, and says why', () => {
    const log = out.find((m) => m.name.endsWith('var/log/waagent.log'))!;
    expect(log.mode & 0o777).toBe(0o640);
    expect(out.find((m) => m.name.endsWith('/proc/net'))?.linkname).toBe('self/net');
    expect(out.some((m) => m.name.endsWith('/escape'))).toBe(false);
    expect(out.some((m) => m.name.endsWith('binary.journal'))).toBe(false);
    const skipped = result.outputs[0]!.skipped;
    expect(skipped.find((s) => s.path.endsWith('/escape'))?.reason).toMatch(/out of the root/);
    expect(skipped.find((s) => s.path.endsWith('binary.journal'))?.reason).toMatch(/binary/);
    expect(result.counts.ipv4).toBeGreaterThan(0);
    expect(result.counts.secret).toBeGreaterThan(0);
  });

  it('the same case gives the same tokens as a bundle redactor of that case', async () => {
    const bundle = createRedactor({ secret: await caseSecret('corpus') });
    const token = bundle.redactText('10.1.2.3').text;
    const map = JSON.parse(readFileSync(result.outputs[0]!.map, 'utf8')).entries as Array<{
      original: string;
      pseudonym: string;
    }>;
    expect(map.find((e) => e.original === '10.1.2.3')?.pseudonym).toBe(token);
    const ip = out.find((m) => m.name.endsWith('ip_-o_addr'))!.data.toString();
    expect(ip).toContain(`inet ${token}/24`);
  });

  it('collect analyze still reads the redacted report', async () => {
    const h = (await loadCapture(outFile, { warn: () => undefined })).after[0]!;
    expect(h.interfaces.map((i) => i.name)).toContain('eth0');
  });

  // With its map beside it, `collect verify` checks a redacted report as one:
  // no manifest, but safe paths, links inside it, and no original of the map.
  it('collect verify accepts it with its map, and finds an original put back or a link out', async () => {
    const ok = await verifyBundle(outFile);
    expect(ok).toMatchObject({ kind: 'redacted', ok: true, problems: [] });
    expect(ok.files).toBeGreaterThan(5);
    const map = readFileSync(result.outputs[0]!.map);
    const tampered = async (name: string, edit: (m: Member[]) => Member[]) => {
      const file = join(dir, 'in', `${name}-redacted.tar.gz`);
      const members = out.map(
        (m): Member => ({
          name: m.name,
          type: m.type as Member['type'],
          mode: m.mode,
          ...(m.linkname !== undefined ? { linkname: m.linkname } : { data: m.data }),
        }),
      );
      await writeTar(file, edit(members));
      writeFileSync(file.replace(/\.tar\.gz$/, '.map.json'), map);
      return verifyBundle(file);
    };
    const leaked = await tampered('leaked', (ms) =>
      ms.map((m) =>
        m.name.endsWith('ip_-o_addr') ? { ...m, data: `${m.data}inet 10.1.2.3/24\n` } : m,
      ),
    );
    expect(leaked.ok).toBe(false);
    expect(leaked.problems.join('\n')).toMatch(/ip_-o_addr: possible unredacted ipv4/);
    const out1 = await tampered('linkout', (ms) => [
      ...ms,
      {
        name: `${ms[0]!.name.split('/')[0]}/etc/passwd-link`,
        type: 'symlink',
        linkname: '../../../etc/passwd',
      },
    ]);
    expect(out1.ok).toBe(false);
    expect(out1.problems.join('\n')).toMatch(/passwd-link.*leaves the archive/);
  });
});

describe('collect redact: hostile and damaged input leaves nothing behind', () => {
  const listing = (d: string) => readdirSync(d).sort();

  it('garbage, a truncated archive and a bzip2 one give a clear error and write nothing', async () => {
    const work = join(dir, 'bad');
    mkdirSync(work);
    writeFileSync(
      join(work, 'junk.tar.gz'),
      Buffer.from('1f8b0800000000000003deadbeefdeadbeef', 'hex'),
    );
    const good = join(dir, 'good.tar.gz');
    await writeTar(good, [
      ...members(),
      { name: `${TOP}/big.log`, data: `${'10.9.9.9 x\n'.repeat(200_000)}` },
    ]);
    const whole = readFileSync(good);
    writeFileSync(join(work, 'cut.tar.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(work, 'old.tar.bz2'), Buffer.from('BZh91AY&SY'));
    const before = listing(work);
    await expect(redactInputs({ inputs: [join(work, 'junk.tar.gz')] })).rejects.toThrow(/gzip/);
    await expect(redactInputs({ inputs: [join(work, 'cut.tar.gz')] })).rejects.toThrow(
      /truncated|unexpected end|gzip/i,
    );
    await expect(redactInputs({ inputs: [join(work, 'old.tar.bz2')] })).rejects.toThrow(
      /bzip2-compressed archives are not read/,
    );
    expect(listing(work)).toEqual(before);
  });

  it('a directory: a link out of it is not followed nor written; modes are kept', async () => {
    const src = join(dir, 'tree');
    mkdirSync(join(src, 'logs'), { recursive: true });
    writeFileSync(join(src, 'logs/app.log'), 'conn from 10.4.4.4\n', { mode: 0o600 });
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc', join(src, 'etc-link'));
    symlinkSync('logs/app.log', join(src, 'inside'));
    const r = await redactInputs({ inputs: [src] });
    const outDir = r.outputs[0]!.output!;
    expect(outDir).toBe(`${src}-redacted`);
    expect(listing(outDir)).toEqual(['inside', 'logs']);
    expect(readFileSync(join(outDir, 'logs/app.log'), 'utf8')).not.toContain('10.4.4.4');
    expect(statSync(join(outDir, 'logs/app.log')).mode & 0o777).toBe(0o600);
    expect(r.outputs[0]!.skipped.map((s) => s.path)).toEqual(['etc-link']);
  });
});
