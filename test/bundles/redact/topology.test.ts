import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, scanForLeaks } from '../../../bundles/redact/index.js';
import { fromOctets, ipv4ToText, isKeptIPv4, parseIPv4 } from '../../../bundles/redact/ipv4.js';
import { parseIPv6 } from '../../../bundles/redact/ipv6.js';
import { AKS_IP_ROUTE, AKS_IP6_ROUTE, LAB_HOSTS } from './corpus.js';
import { SECRET_A } from './helpers.js';

// Pseudonyms keep topology: addresses that share a prefix share it in their tokens, so a /24 of
// hosts and its gateway stay one /24, and same-subnet traffic does not read as routed.

const v4 = (text: string): number => {
  const p = parseIPv4(text);
  if (p === undefined) throw new Error(`not an IPv4: ${text}`);
  return p.value;
};

// Common leading bits of two 32-bit values.
function commonBits(a: number, b: number): number {
  const x = (a ^ b) >>> 0;
  return x === 0 ? 32 : Math.clz32(x);
}

function bits128(groups: readonly number[]): bigint {
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function commonBits128(a: readonly number[], b: readonly number[]): number {
  const x = bits128(a) ^ bits128(b);
  return x === 0n ? 128 : 128 - x.toString(2).length;
}

// Where a pseudonym may be: 240.0.0.0/4, reserved and never routed, and never with the first
// octet of a netmask (240, 248, 252, 254, 255).
function isPseudonymRange(value: number): boolean {
  return value >>> 28 === 0xf && ![240, 248, 252, 254, 255].includes(value >>> 24);
}

describe('a /24 of the lab, as its bundle holds it', () => {
  const r = createRedactor({ secret: SECRET_A });
  const files = LAB_HOSTS.flatMap((h, i) => [
    { path: `vm${i}/ip-addr.json`, text: h.ipJAddr },
    { path: `vm${i}/ip-route.txt`, text: h.ipRoute },
    { path: `vm${i}/ip-route-local.txt`, text: h.ipRouteLocal },
  ]);
  const out = r.redactFiles(files).files;
  const text = (path: string) => out.find((f) => f.path === path)!.text;
  const token = (original: string) => r.mapping().find((e) => e.original === original)!.pseudonym;

  it('keeps both hosts, the gateway, the network and the broadcast in one /24', () => {
    const hosts = LAB_HOSTS.map((h) => v4(token(h.address)));
    const gateway = v4(token('198.18.0.1'));
    const network = token('198.18.0.0/24');
    const broadcast = v4(token('198.18.0.255'));
    const net24 = hosts[0]! >>> 8;
    for (const t of [...hosts, gateway, broadcast]) expect(t >>> 8).toBe(net24);
    expect(network).toBe(`${ipv4ToText(net24 << 8)}/24`);
    expect(broadcast & 255).toBe(255);
    expect(gateway & 255).toBe(1); // .1 stays .1
    expect(new Set([...hosts, gateway, broadcast]).size).toBe(4);
  });

  it('every host reads the same routes and the same broadcast, consistent with its address', () => {
    for (const [i, h] of LAB_HOSTS.entries()) {
      const addr = JSON.parse(text(`vm${i}/ip-addr.json`))[0].addr_info[0];
      const local = v4(addr.local);
      expect(addr.prefixlen).toBe(24);
      expect(v4(addr.broadcast)).toBe((local | 0xff) >>> 0);
      const route = text(`vm${i}/ip-route.txt`);
      const gw = /^default via (\S+)/.exec(route)![1]!;
      const [net, len] = /^(\S+)\/(\d+) dev eth0/m.exec(route)!.slice(1);
      expect(Number(len)).toBe(24);
      expect(v4(net!)).toBe((local & ~0xff) >>> 0);
      expect(v4(gw) >>> 8).toBe(local >>> 8);
      expect(route).toContain(`src ${addr.local} `);
      expect(text(`vm${i}/ip-route-local.txt`)).toContain(
        `broadcast ${addr.broadcast} dev eth0 proto kernel scope link src ${addr.local} `,
      );
      expect(addr.local).toBe(token(h.address));
    }
  });

  it('writes a network of any length as the network of its hosts’ tokens', () => {
    // The lab's fence, 198.18.0.0/15: the /15 of the hosts' tokens, host bits zero.
    const fence = /^unreachable (\S+)\/15 $/m.exec(text('vm0/ip-route.txt'))![1]!;
    expect(v4(fence)).toBe((v4(token('198.18.0.11')) & ~0x1ffff) >>> 0);
  });

  it('keeps the link-local addresses as the doc says: EUI-64 ids spell the MAC token', () => {
    for (const [i, h] of LAB_HOSTS.entries()) {
      const link = JSON.parse(text(`vm${i}/ip-addr.json`))[0];
      const mac = (link.address as string).split(':').map((b) => Number.parseInt(b, 16));
      expect(mac.slice(0, 2)).toEqual([0xd2, 0xec]);
      expect(link.address).toBe(token(h.mac));
      // d2 with the U/L bit flipped is d0; ff:fe in the middle.
      expect(parseIPv6(link.addr_info[1].local)!.groups).toEqual([
        0xfe80,
        0,
        0,
        0,
        0xd0ec,
        (mac[2]! << 8) | 0xff,
        0xfe00 | mac[3]!,
        (mac[4]! << 8) | mac[5]!,
      ]);
    }
  });

  it('scans clean, and a leftover original is still found', () => {
    expect(scanForLeaks(out, r.sensitiveValues())).toEqual([]);
    const leftover = [...out, { path: 'late.txt', text: 'ping 198.18.0.12' }];
    expect(scanForLeaks(leftover, r.sensitiveValues())).toEqual([
      { path: 'late.txt', category: 'ipv4' },
    ]);
  });
});

describe('an AKS node’s routes', () => {
  const r = createRedactor({ secret: SECRET_A });
  const out = r.redactText(AKS_IP_ROUTE).text;
  const routes = new Map(
    [...out.matchAll(/^(\S+)\/(\d+) /gm)].map((m) => [`${m[2]}`, m[1]!] as const),
  );
  const lines = out.split('\n');
  const node = v4(/src (\S+)/.exec(lines[0]!)![1]!);

  it('keeps the pod /24s apart, in one /16, and the node subnet a /16 of its own', () => {
    const pods = [...out.matchAll(/^(\S+)\/24 /gm)].map((m) => v4(m[1]!));
    expect(pods).toHaveLength(3);
    expect(new Set(pods.map((p) => p >>> 8)).size).toBe(3);
    expect(new Set(pods.map((p) => p >>> 16)).size).toBe(1);
    for (const p of pods) expect(p & 255).toBe(0);
    const subnet = v4(routes.get('16')!);
    expect(subnet).toBe((node & 0xffff0000) >>> 0);
    // 10.224/16 and 10.244/16 share 11 bits; so do their tokens.
    expect(commonBits(subnet, pods[0]!)).toBe(commonBits(v4('10.224.0.0'), v4('10.244.0.0')));
  });

  it('writes the /12 VNet and a /26 as networks that contain their hosts', () => {
    const vnet = v4(routes.get('12')!);
    expect(vnet).toBe((node & 0xfff00000) >>> 0);
    const fw = v4(routes.get('26')!);
    expect(fw & 63).toBe(0);
    const inFw = v4(r.redactText('10.225.64.7').text);
    expect((inFw & ~63) >>> 0).toBe(fw);
  });

  it('routes to other nodes’ pods through addresses of the node subnet, and the gateway is .1', () => {
    for (const m of out.matchAll(/\/24 via (\S+) /g)) expect(v4(m[1]!) >>> 16).toBe(node >>> 16);
    expect(v4(/^default via (\S+)/.exec(out)![1]!)).toBe(((node & ~0xff) | 1) >>> 0);
    expect(out).toContain('168.63.129.16 via');
    expect(out).toContain('169.254.169.254 via');
  });

  it('IPv6: a /64 stays a /64, the /40 above it contains it, link-local stays', () => {
    const six = r.redactText(AKS_IP6_ROUTE).text.split('\n');
    const net = (line: string) => parseIPv6(line.split('/')[0]!)!.groups;
    const [a, b, c] = [net(six[0]!), net(six[1]!), net(six[2]!)];
    expect(six[0]).toMatch(/^3fff:[0-9a-f]{4}:[0-9a-f]{4}::\/64 /);
    expect(commonBits128(a, b)).toBe(63); // ...789a::/64 and ...789a:1::/64
    expect(commonBits128(a, c)).toBeGreaterThanOrEqual(40);
    expect(c.slice(3).every((g) => g === 0)).toBe(true);
    expect(c[2]! & 0xff).toBe(0);
    expect(six[3]).toBe('fe80::/64 dev eth0 proto kernel metric 256 pref medium');
    expect(six[4]).toContain('default via fe80::1234:5678:9abc:def0 dev eth0');
    const gw = parseIPv6(/via (\S+)/.exec(six[1]!)![1]!)!.groups;
    expect(commonBits128(gw, a)).toBeGreaterThanOrEqual(64);
  });
});

describe('prefix preservation, for random pairs', () => {
  // A redactor per run: tokens of two /8s that share a first octet can collide (1 in 2^24), and
  // thousands of them in one redactor would now and then meet the marker.
  const tokens = () => {
    const r = createRedactor({ secret: SECRET_A });
    return (value: number) => v4(r.redactText(ipv4ToText(value)).text);
  };
  const address = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((o) => fromOctets(o))
    .filter((v) => !isKeptIPv4(v));

  it('IPv4 of one /8: the tokens share exactly as many leading bits as the originals', () => {
    // b shares `shared` leading bits with a: a's bits, then the next one flipped, then noise.
    const pair = fc
      .tuple(address, fc.integer({ min: 8, max: 32 }), fc.nat())
      .map(([a, shared, noise]) => {
        if (shared === 32) return [a, a] as const;
        const flip = 2 ** (31 - shared);
        const high = Math.floor(a / (2 * flip)) * 2 * flip;
        const bit = Math.floor(a / flip) % 2 === 0 ? flip : 0;
        return [a, high + bit + (noise % flip)] as const;
      })
      .filter(([, b]) => !isKeptIPv4(b));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const token = tokens();
        const [ta, tb] = [token(a), token(b)];
        expect(isPseudonymRange(ta) && isPseudonymRange(tb)).toBe(true);
        expect(commonBits(ta, tb)).toBe(commonBits(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv4 of two /8s: distinct tokens, both in 240.0.0.0/4 and never a netmask', () => {
    fc.assert(
      fc.property(address, address, (a, b) => {
        fc.pre(a >>> 24 !== b >>> 24);
        const token = tokens();
        const [ta, tb] = [token(a), token(b)];
        expect(isPseudonymRange(ta) && isPseudonymRange(tb)).toBe(true);
        expect(ta).not.toBe(tb);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv4: octets 3 and 4 keep 0 and 255, so /16 and /24 networks and broadcasts stay', () => {
    fc.assert(
      fc.property(address, (a) => {
        const net16 = (a & 0xffff0000) >>> 0;
        const net24 = (a & 0xffffff00) >>> 0;
        fc.pre(!isKeptIPv4(net16) && !isKeptIPv4(net24));
        const token = tokens();
        const t = token(a);
        expect(token(net24)).toBe((t & 0xffffff00) >>> 0);
        expect(token((net24 | 0xff) >>> 0)).toBe((t | 0xff) >>> 0);
        expect(token(net16)).toBe((t & 0xffff0000) >>> 0);
        expect(token((net16 | 0xffff) >>> 0)).toBe((t | 0xffff) >>> 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('IPv6 of one first group: the tokens share exactly as many bits, and keep the spelling', () => {
    const ones = (1n << 128n) - 1n;
    const global = fc
      .tuple(
        fc.constantFrom(0x2603, 0x2a01, 0xfd12),
        fc.array(fc.nat(0xffff), { minLength: 7, maxLength: 7 }),
      )
      .map(([g0, rest]) => [g0, ...rest]);
    const groupsOf = (bits: bigint) =>
      Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
    // b: the first n bits of a, the next one flipped, then c's bits.
    const pair = fc.tuple(global, fc.integer({ min: 16, max: 128 }), global).map(([a, n, c]) => {
      if (n === 128) return [a, a] as const;
      const flip = 1n << BigInt(127 - n);
      const high = bits128(a) & (ones ^ (2n * flip - 1n));
      const b = high | ((bits128(a) & flip) ^ flip) | (bits128(c) & (flip - 1n));
      return [a, groupsOf(b)] as const;
    });
    const text = (g: readonly number[]) => g.map((x) => x.toString(16)).join(':');
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const r = createRedactor({ secret: SECRET_A });
        const [ta, tb] = [text(a), text(b)].map((t) => r.redactText(t).text) as [string, string];
        const [ga, gb] = [parseIPv6(ta)!.groups, parseIPv6(tb)!.groups];
        expect(ga[0]).toBe(0x3fff);
        expect(commonBits128(ga, gb)).toBe(commonBits128(a, b));
        // Each group keeps its digit count, so the token fits the original's spelling.
        expect(ta.split(':').map((g) => g.length)).toEqual(
          text(a)
            .split(':')
            .map((g) => g.length),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
