import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../bundles/redact/index.js';
import { parseIPv4 } from '../../../bundles/redact/ipv4.js';
import { SECRET_A } from './helpers.js';

describe('token shapes per category', () => {
  const r = createRedactor({
    secret: SECRET_A,
    discovered: {
      hostnames: ['searchvm01'],
      domains: ['corp.example.com'],
      users: ['alicew'],
      keywords: ['Contoso'],
    },
  });
  const one = (text: string): string => r.redactText(text).text;

  it('IPv4: in 240.0.0.0/4, never a netmask, whatever the length of the original', () => {
    for (let i = 0; i < 50; i += 1)
      for (const ip of [`10.224.${i}.${100 + i}`, `10.0.0.${i % 10}`, `${i + 1}.${i}.255.0`]) {
        const token = parseIPv4(one(ip))!.value;
        expect(token >>> 28, ip).toBe(0xf);
        expect([240, 248, 252, 254, 255]).not.toContain(token >>> 24);
      }
  });

  it('MAC: locally administered unicast, d2:ec prefix', () => {
    const mac = one('00:0d:3a:12:34:56');
    const first = Number.parseInt(mac.slice(0, 2), 16);
    expect(first & 0x02).toBe(0x02);
    expect(first & 0x01).toBe(0);
    expect(mac.startsWith('d2:ec:')).toBe(true);
  });

  it('GUID: GUID-shaped, case kept', () => {
    expect(one('5c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5')).toMatch(
      /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
    );
    expect(one('5C1D2E3F-4A5B-4C6D-8E9F-A0B1C2D3E4F5')).toMatch(
      /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/,
    );
  });

  it('names: a prefix per category, or one letter when short', () => {
    expect(one('searchvm01')).toMatch(/^host-[0-9a-f]{5}$/);
    expect(one('corp.example.com')).toMatch(/^dom-[0-9a-f]{12}$/);
    expect(one('/home/alicew')).toMatch(/^\/home\/u[0-9a-f]{5}$/);
    expect(one('owned by CONTOSO')).toMatch(/^owned by kw-[0-9a-f]{4}$/);
    expect(
      one('/subscriptions/8f2c7b1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f/resourceGroups/rg-search-prod'),
    ).toMatch(/\/resourceGroups\/res-[0-9a-f]{10}$/);
  });

  it('secrets: fixed markers, scheme and key names kept', () => {
    const cases: [string, string][] = [
      ['password=Hunter2!', 'password=<REDACTED:secret>'],
      ['db_passwd: s3cr3t', 'db_passwd: <REDACTED:secret>'],
      ['"client_secret": "abc"', '"client_secret": "<REDACTED:secret>"'],
      ["api_key='abc123'", "api_key='<REDACTED:secret>'"],
      ['X-Api-Key: abcdef', 'X-Api-Key: <REDACTED:secret>'],
      [
        'AccountName=stg;AccountKey=a2V5==;EndpointSuffix=core.windows.net',
        'AccountName=stg;AccountKey=<REDACTED:secret>;EndpointSuffix=core.windows.net',
      ],
      ['?sv=2022-11-02&sig=abc%2Bdef%3D&se=2024', '?sv=2022-11-02&sig=<REDACTED:secret>&se=2024'],
      ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic <REDACTED:secret>'],
      [
        'curl -H "Authorization: Bearer abc.def.ghi" x',
        'curl -H "Authorization: Bearer <REDACTED:secret>" x',
      ],
      ['token is bearer 0123456789abcdef', 'token is bearer <REDACTED:secret>'],
      ['id eyJhbGciOi.eyJzdWIiOi.sig-part', 'id <REDACTED:secret>'],
    ];
    for (const [input, expected] of cases) expect(one(input)).toBe(expected);
    expect(one('https://deploy:pw123@example.com/x')).toMatch(
      /^https:\/\/u[0-9a-f]{5}:<REDACTED:secret>@example\.com\/x$/,
    );
  });

  it('PEM private keys: the whole block, armour included, even when cut off', () => {
    const block =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\nNzaC1r\n-----END OPENSSH PRIVATE KEY-----';
    expect(one(`a\n${block}\nb`)).toBe('a\n<REDACTED:private-key>\nb');
    expect(one('x\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE')).toBe('x\n<REDACTED:private-key>');
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(one(cert)).toBe(cert);
  });

  it('never gives two originals one token, even in the smallest shapes', () => {
    const red = createRedactor({ secret: SECRET_A });
    const ips: string[] = [];
    for (let a = 1; a < 10 && ips.length < 400; a += 1)
      for (let b = 0; b < 10 && ips.length < 400; b += 1)
        for (let c = 0; c < 10 && ips.length < 400; c += 1) ips.push(`${a}.${b}.${c}.7`);
    const tokens = ips.map((ip) => red.redactText(ip).text);
    expect(tokens.every((t) => parseIPv4(t) !== undefined)).toBe(true);
    expect(new Set(tokens).size).toBe(ips.length);
    const users = Array.from({ length: 150 }, (_, i) => `u${i.toString(36).padStart(2, 'z')}`);
    const names = createRedactor({ secret: SECRET_A, discovered: { users } });
    const userTokens = users.map((u) => names.redactText(u).text);
    expect(new Set(userTokens).size).toBe(users.length);
  });

  it('counts replacements per category', () => {
    const red = createRedactor({ secret: SECRET_A });
    const { counts } = red.redactText('10.1.2.3 10.1.2.3 00:0d:3a:12:34:56 password=x1');
    expect(counts).toMatchObject({ ipv4: 2, mac: 1, secret: 1, ipv6: 0 });
  });
});
