import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { eui64Mac, isEui64, parseIPv6 } from '../../../bundles/redact/ipv6.js';
import { renderMac } from '../../../bundles/redact/mac.js';
import { CORPUS } from './corpus.js';
import { corpusRedactor, SECRET_A, SECRET_B } from './helpers.js';

function redact(secret: Buffer, text: string): string {
  return createRedactor({ secret }).redactText(text).text;
}

describe('pseudonyms are keyed by the case secret', () => {
  const line = 'peer 10.224.0.5 mac 00:0d:3a:12:34:56 id 5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5';

  it('gives the same token in two redactors with the same secret', () => {
    expect(redact(SECRET_A, line)).toBe(redact(SECRET_A, line));
  });

  it('gives different tokens with a different secret', () => {
    const a = redact(SECRET_A, line).split(' ');
    const b = redact(SECRET_B, line).split(' ');
    for (const i of [1, 3, 5]) {
      expect(a[i]).not.toBe(line.split(' ')[i]);
      expect(b[i]).not.toBe(a[i]);
    }
    for (const i of [0, 2, 4]) expect(b[i]).toBe(a[i]);
  });

  it('does not depend on the order files are redacted in', () => {
    const forward = corpusRedactor();
    forward.redactFiles(CORPUS);
    const backward = corpusRedactor();
    backward.redactFiles([...CORPUS].reverse());
    expect(backward.mapping()).toEqual(forward.mapping());
  });

  it('never writes the secret into outputs or the map', () => {
    const r = corpusRedactor();
    const out = r
      .redactFiles(CORPUS)
      .files.map((f) => f.text)
      .join('');
    const all = out + JSON.stringify(r.mapping());
    expect(all).not.toContain(SECRET_A.toString('hex'));
    expect(all).not.toContain(SECRET_A.toString('base64'));
  });

  it('rejects a secret too short to key anything', () => {
    expect(() => createRedactor({ secret: Buffer.alloc(8) })).toThrow(RangeError);
  });
});

describe('one value written several ways gets one token', () => {
  it('IPv4 dotted and dashed share their digits', () => {
    const r = createRedactor({ secret: SECRET_A });
    const dotted = r.redactText('10.224.0.4').text;
    expect(r.redactText('ip-10-224-0-4').text).toBe(`ip-${dotted.replaceAll('.', '-')}`);
  });

  it('a MAC in colon, dash, Cisco, bare and upper-case forms', () => {
    const r = createRedactor({ secret: SECRET_A });
    const colon = r.redactText('00:0d:3a:12:34:56').text;
    expect(colon).toMatch(/^d2:ec(:[0-9a-f]{2}){4}$/);
    const hex = colon.replaceAll(':', '');
    expect(r.redactText('00:0D:3A:12:34:56').text).toBe(colon.toUpperCase());
    expect(r.redactText('00-0d-3a-12-34-56').text).toBe(colon.replaceAll(':', '-'));
    expect(r.redactText('000d.3a12.3456').text).toBe(
      `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`,
    );
    expect(r.redactText('"macAddress": "000D3A123456"').text).toBe(
      `"macAddress": "${hex.toUpperCase()}"`,
    );
  });

  it('IPv6 compressed and expanded name the same token address', () => {
    const r = createRedactor({ secret: SECRET_A });
    const short = r.redactText('2603:1030:40c:a::17').text;
    const long = r.redactText('2603:1030:040c:000a:0000:0000:0000:0017').text;
    expect(long).toHaveLength('2603:1030:040c:000a:0000:0000:0000:0017'.length);
    expect(parseIPv6(long)!.groups).toEqual(parseIPv6(short)!.groups);
    expect(short.startsWith('3fff:')).toBe(true);
  });

  it('a host name in any case, alone, in a FQDN and in a path', () => {
    const r = createRedactor({ secret: SECRET_A, discovered: { hostnames: ['vm-search-01'] } });
    const token = r.redactText('vm-search-01').text;
    expect(token).toMatch(/^host-[0-9a-f]{7}$/);
    expect(r.redactText('VM-SEARCH-01').text).toBe(token);
    expect(r.redactText('vm-search-01.corp.example').text).toBe(`${token}.corp.example`);
    expect(r.redactText('/var/log/vm-search-01/gc.log').text).toBe(`/var/log/${token}/gc.log`);
    expect(r.redactText('vm-search-010').text).toBe('vm-search-010'); // a different host
  });

  it('an IPv4-mapped IPv6 reads as the bare IPv4 token', () => {
    const r = createRedactor({ secret: SECRET_A });
    const v4 = r.redactText('10.224.0.5').text;
    expect(r.redactText('::ffff:10.224.0.5').text).toBe(`::ffff:${v4}`);
  });

  it('a solicited-node address and its multicast MAC keep their pairing', () => {
    const r = createRedactor({ secret: SECRET_A });
    const v6 = r.redactText('ff02::1:ff12:3456').text;
    const mac = r.redactText('33:33:ff:12:34:56').text;
    const g = parseIPv6(v6)!.groups;
    const low = `${(g[6]! & 0xff).toString(16).padStart(2, '0')}${g[7]!.toString(16).padStart(4, '0')}`;
    expect(mac).toBe(`33:33:ff:${low.slice(0, 2)}:${low.slice(2, 4)}:${low.slice(4)}`);
    expect(low).not.toBe('123456');
  });

  it('an EUI-64 link-local keeps fe80:: and spells the MAC token instead of the MAC', () => {
    const r = createRedactor({ secret: SECRET_A });
    const out = r.redactText('fe80::20d:3aff:fe12:3456%eth0').text;
    const mac = r.redactText('00:0d:3a:12:34:56').text;
    const groups = parseIPv6(out.replace('%eth0', ''))!.groups;
    expect(isEui64(groups)).toBe(true);
    expect(out).toMatch(/^fe80::d0ec:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}%eth0$/);
    expect(renderMac(eui64Mac(groups), 'colon', false)).toBe(mac);
    expect(r.redactText(out).text).toBe(out); // its own token is kept
    expect(r.redactText('fe80::1%eth0').text).toBe('fe80::1%eth0');
    expect(r.redactText('fe80::3bf:d4c0:2622:117f').text).toBe('fe80::3bf:d4c0:2622:117f');
  });
});
