import { describe, expect, it } from 'vitest';
import { formatHostSpec, hostOfSpec, parseHostSpec } from '../../../kit/ssh/host-spec.js';

describe('parseHostSpec', () => {
  it.each([
    ['host', { host: 'host' }],
    ['alice@host', { user: 'alice', host: 'host' }],
    ['host:2222', { host: 'host', port: 2222 }],
    ['alice@10.0.0.1:22', { user: 'alice', host: '10.0.0.1', port: 22 }],
    ['[::1]:2222', { host: '::1', port: 2222 }],
    ['bob@[fe80::1%eth0]:2200', { user: 'bob', host: 'fe80::1%eth0', port: 2200 }],
    ['[::1]', { host: '::1' }],
    ['::1', { host: '::1' }],
    ['root@2001:db8::5', { user: 'root', host: '2001:db8::5' }],
    // The last '@' splits, so domain-style user names survive.
    ['alice@corp.example@jump', { user: 'alice@corp.example', host: 'jump' }],
    ['ssh://alice@host:2022', { user: 'alice', host: 'host', port: 2022 }],
    ['  host  ', { host: 'host' }],
    ['host:65535', { host: 'host', port: 65535 }],
  ])('%s', (spec, expected) => {
    expect(parseHostSpec(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty host/],
    ['alice@', /empty host/],
    [':22', /empty host/],
    ['[]:22', /empty host/],
    ['@host', /empty user/],
    ['host:', /port ""/],
    ['host:0', /port "0"/],
    ['host:65536', /port "65536"/],
    ['host:22x', /port "22x"/],
    ['host:-1', /port "-1"/],
    ['[::1', /missing closing/],
    ['[::1]x', /unexpected "x"/],
    ['a b', /whitespace/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseHostSpec(spec)).toThrow(message);
  });

  it('names the offending spec in the error', () => {
    expect(() => parseHostSpec('db:99999')).toThrow('invalid host "db:99999"');
  });

  it('round-trips through formatHostSpec', () => {
    for (const spec of ['alice@host:2222', '[::1]:22', 'host', '::1', 'u@[fe80::1]:2']) {
      expect(formatHostSpec(parseHostSpec(spec))).toBe(spec);
    }
  });
});

describe('hostOfSpec', () => {
  it('is the host part of a spec, or the spec when it does not parse', () => {
    expect(hostOfSpec('azureuser@10.0.0.4:2222')).toBe('10.0.0.4');
    expect(hostOfSpec('[fe80::1]:22')).toBe('fe80::1');
    expect(hostOfSpec('vmA')).toBe('vmA');
    expect(hostOfSpec('user@')).toBe('user@');
  });
});
