import { describe, expect, it } from 'vitest';
import { parseSysctl, toSysctlName } from '../../collectors/kv-sysctl.js';

describe('parseSysctl', () => {
  it('`sysctl -a` lines, with permission errors as warnings', () => {
    const text = [
      'net.core.netdev_max_backlog = 1000',
      'net.core.netdev_budget = 300',
      'net.ipv4.tcp_rmem = 4096\t131072\t6291456',
      'kernel.domainname = (none)',
      'net.ipv4.conf.eth0/100.rp_filter = 2',
      'kernel.core_pattern = |/usr/share/apport/apport -p%p -s%s',
      'dev.foo.empty =',
      "sysctl: permission denied on key 'fs.protected_fifos'",
    ].join('\n');
    const { value, warnings } = parseSysctl(text);
    expect(value).toEqual({
      'net.core.netdev_max_backlog': '1000',
      'net.core.netdev_budget': '300',
      'net.ipv4.tcp_rmem': '4096\t131072\t6291456',
      'kernel.domainname': '(none)',
      'net.ipv4.conf.eth0/100.rp_filter': '2',
      'kernel.core_pattern': '|/usr/share/apport/apport -p%p -s%s',
      'dev.foo.empty': '',
    });
    expect(warnings).toEqual([`line 8: "sysctl: permission denied on key 'fs.protected_fifos'"`]);
  });

  it('/proc/sys style `name value`, paths converted to dotted names', () => {
    const text = [
      '/proc/sys/net/core/netdev_max_backlog 32768',
      'net/core/rps_sock_flow_entries 0',
      'net/ipv4/conf/eth0.100/rp_filter 1',
      'net.core.somaxconn 4096',
      'kernel/foo a=b',
    ].join('\n');
    const { value, warnings } = parseSysctl(text);
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      'net.core.netdev_max_backlog': '32768',
      'net.core.rps_sock_flow_entries': '0',
      'net.ipv4.conf.eth0/100.rp_filter': '1',
      'net.core.somaxconn': '4096',
      'kernel.foo': 'a=b',
    });
  });

  it('a name without a value and a changed repeat are warned', () => {
    const { value, warnings } = parseSysctl('lonely\na = 1\na = 2\n');
    expect(value).toEqual({ a: '2' });
    expect(warnings).toHaveLength(2);
  });

  it('toSysctlName', () => {
    expect(toSysctlName('net.core.x')).toBe('net.core.x');
    expect(toSysctlName('/proc/sys/net/ipv4/conf/eth0.5/arp_ignore')).toBe(
      'net.ipv4.conf.eth0/5.arp_ignore',
    );
  });
});
