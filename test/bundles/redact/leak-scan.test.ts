import { describe, expect, it } from 'vitest';
import { createRedactor, scanForLeaks } from '../../../bundles/redact/index.js';
import { CORPUS, ETHTOOL_I, ETHTOOL_S, SOFTNET_STAT } from './corpus.js';
import { corpusRedactor, SECRET_A } from './helpers.js';

describe('scanForLeaks', () => {
  it('reports path and category of a planted value, never the value', () => {
    const r = corpusRedactor();
    const { files } = r.redactFiles(CORPUS);
    const planted = 'aks-nodepool1-12345678-vmss000000';
    const tampered = files.map((f) =>
      f.path === 'raw/ethtool_S.txt'
        ? { ...f, text: `${f.text}node ${planted.toUpperCase()}\n` }
        : f,
    );
    const leaks = scanForLeaks(tampered, r.sensitiveValues());
    expect(leaks).toEqual([{ path: 'raw/ethtool_S.txt', category: 'hostname' }]);
    expect(JSON.stringify(leaks).toLowerCase()).not.toContain(planted);
  });

  it('finds every alternative spelling of a known value', () => {
    const sensitive = [
      { category: 'ipv4', value: '10.224.0.4' },
      { category: 'mac', value: '00:0d:3a:12:34:56' },
      { category: 'ipv6', value: '2603:1030:40c:a::17' },
      { category: 'guid', value: '8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f' },
      { category: 'user', value: 'alicew' },
      { category: 'keyword', value: 'contoso' },
    ] as const;
    const spellings: [string, string][] = [
      ['ip-10-224-0-4.internal', 'ipv4'],
      ['mac 00-0D-3A-12-34-56', 'mac'],
      ['mac 000d.3a12.3456', 'mac'],
      ['"macAddress": "000D3A123456"', 'mac'],
      ['addr 2603:1030:040c:000a:0000:0000:0000:0017', 'ipv6'],
      ['id 8F2C7B1E3D4A4C5B9E6F0A1B2C3D4E5F', 'guid'],
      ['owner alicew', 'user'],
      ['team CONTOSO-search', 'keyword'],
    ];
    for (const [text, category] of spellings)
      expect(scanForLeaks([{ path: 'f', text }], sensitive), text).toContainEqual({
        path: 'f',
        category,
      });
  });

  it('finds generic leaks with no known values at all', () => {
    const cases: [string, string][] = [
      ['SRC=52.174.10.20', 'ipv4'],
      ['inet 10.224.0.4/16', 'ipv4'],
      ['host ip-10-1-2-3', 'ipv4'],
      ['link/ether 00:0d:3a:12:34:56', 'mac'],
      ['inet6 2603:1030:40c:a::17/128', 'ipv6'],
      ['inet6 fe80::20d:3aff:fe12:3456/64', 'ipv6'],
      ['::ffff:10.1.2.3', 'ipv4'],
      ['-----BEGIN PRIVATE KEY-----\nMIIE', 'secret'],
      ['?sv=1&sig=abcdef%3D', 'secret'],
      ['Authorization: Bearer abcdefgh12345', 'secret'],
      ['password=hunter2', 'secret'],
    ];
    for (const [text, category] of cases)
      expect(scanForLeaks([{ path: 'p', text }], []), text).toEqual([{ path: 'p', category }]);
  });

  it('recognises our own pseudonyms and kept values', () => {
    const ours = [
      'inet 249.63.7.3/16 brd 253.169.41.252 ip-0-12-3-4',
      'link/ether d2:ec:c8:b1:a1:5c D2-EC-C8-B1-A1-5C d2ec.c8b1.a15c',
      'inet6 3fff:4a10:767:7::98/128 fe80::3bf:d4c0:2622:117f ff02::1:ff6e:dcb5 33:33:ff:6e:dc:b5',
      'inet6 fe80::d0ec:c8ff:feb1:a15c/64 and 3fff:4a10:767:700::/56',
      'password=<REDACTED:secret> Authorization: Bearer <REDACTED:secret> <REDACTED:private-key>',
      'https://u12345:<REDACTED:secret>@host-1a2b3c4d.blob.core.windows.net/?sig=<REDACTED:secret>',
      ETHTOOL_I,
      ETHTOOL_S,
      SOFTNET_STAT,
      '127.0.0.1 169.254.169.254 168.63.129.16 ::1 fe80::1%eth0 00:00:00:00:00:00 ff:ff:ff:ff:ff:ff',
    ];
    expect(
      scanForLeaks(
        ours.map((text, i) => ({ path: String(i), text })),
        [],
      ),
    ).toEqual([]);
  });

  it("a manifest's replacement counts are not secrets; a password of digits still is", () => {
    const manifest =
      '{"redaction": {"counts": {"ipv4": 2, "secret": 1}}, "files": [{"redactions": {"secret": 3}}]}';
    expect(scanForLeaks([{ path: 'manifest.json', text: manifest }], [])).toEqual([]);
    for (const text of ['password=1234', '"password": "1234"', "db_passwd: '987'"])
      expect(scanForLeaks([{ path: 'p', text }], []), text).toEqual([
        { path: 'p', category: 'secret' },
      ]);
  });

  it('a secret inside a JSON string (escaped quotes) is redacted and scanned, not cut at the backslash', () => {
    const r = createRedactor({ secret: SECRET_A });
    const cases = [
      JSON.stringify({ e: ['client_secret="Zx9-planted-client-secret" next'] }),
      JSON.stringify({ e: JSON.stringify({ password: 'hunter2-planted' }) }),
      JSON.stringify({ e: 'token="unterminated-planted' }),
    ];
    for (const text of cases) {
      expect(scanForLeaks([{ path: 'p', text }], []), text).toEqual([
        { path: 'p', category: 'secret' },
      ]);
      const out = r.redactText(text).text;
      expect(out, text).not.toMatch(/planted/);
      expect(scanForLeaks([{ path: 'p', text: out }], []), out).toEqual([]);
    }
    // The redacted JSON stays JSON, with the marker where the value was.
    const out = r.redactText(cases[0]!).text;
    expect(JSON.parse(out).e[0]).toBe('client_secret="<REDACTED:secret>" next');
    // An escaped key with a number is a count, as unescaped.
    expect(scanForLeaks([{ path: 'p', text: JSON.stringify({ e: '{"secret": 3}' }) }], [])).toEqual(
      [],
    );
  });

  it('allows shared values inside their own JSON strings in the allowed file only', () => {
    const sensitive = [
      { category: 'ipv4', value: '10.224.0.4' },
      { category: 'hostname', value: 'vmb-prod' },
    ] as const;
    const identity =
      '{"nodeName": {"value": "vmb-prod", "inBundle": "host-1a2b"}, "ip": {"value": "10.224.0.4", "inBundle": "240.1.2.3"}}';
    const allowed = new Map([['identity.json', ['vmb-prod', '10.224.0.4']]]);
    expect(scanForLeaks([{ path: 'identity.json', text: identity }], sensitive, allowed)).toEqual(
      [],
    );
    // The same values anywhere else are leaks.
    expect(
      scanForLeaks([{ path: 'summary.md', text: identity }], sensitive, allowed).map(
        (l) => l.category,
      ),
    ).toEqual(['ipv4', 'hostname']);
    // A value in identity.json that is not one of the shared ones is a leak,
    // and so is a shared value outside its own string.
    for (const extra of [', "other": "10.9.8.7"', ', "note": "vmb-prod at 10.224.0.4"'])
      expect(
        scanForLeaks(
          [{ path: 'identity.json', text: `${identity.slice(0, -1)}${extra}}` }],
          sensitive,
          allowed,
        ),
        extra,
      ).toContainEqual({ path: 'identity.json', category: 'ipv4' });
  });

  it('accepts plain strings and classifies them by shape', () => {
    const files = [{ path: 'a', text: 'peer 10.9.8.7 owner Fabrikam' }];
    expect(scanForLeaks(files, ['fabrikam'])).toEqual([
      { path: 'a', category: 'ipv4' },
      { path: 'a', category: 'keyword' },
    ]);
  });

  it('catches a value learned in one file and left in another', () => {
    const r = createRedactor({ secret: SECRET_A });
    r.redactText('path.data: /home/alicew/data');
    expect(
      scanForLeaks([{ path: 'late.log', text: 'sudo: alicew : TTY=pts/0' }], r.sensitiveValues()),
    ).toEqual([{ path: 'late.log', category: 'user' }]);
  });
});
