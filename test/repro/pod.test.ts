import { describe, expect, it } from 'vitest';
import { firstPod, inPod, podAddress } from '../../repro/run/pod.js';

// Finding a pod as a node shows it, from what `ip -j` printed on the host
// (which may be anything: a compromised host writes what it likes).
const SEP = '--dropkit-pod--';

describe('firstPod', () => {
  it('takes the named namespace behind the lowest-indexed veth of the host', () => {
    const ns = JSON.stringify([
      { name: 'cni-7f3e', id: 2 },
      { name: 'cni-01ab', id: 1 },
      { name: 'other' },
    ]);
    const links = JSON.stringify([
      { ifindex: 9, ifname: 'lxc2', link_netnsid: 2 },
      { ifindex: 7, ifname: 'lxc1', link_netnsid: 1 },
      // A veth whose peer is in a namespace with no name: not a pod we can enter.
      { ifindex: 3, ifname: 'veth0', link_netnsid: 5 },
      { ifindex: 2, ifname: 'eth0' },
    ]);
    expect(firstPod(`${ns}\n${SEP}\n${links}\n`)).toEqual({ netns: 'cni-01ab', hostVeth: 'lxc1' });
  });

  it('finds none on a host without pods, and refuses forged names', () => {
    expect(firstPod(`[]\n${SEP}\n[]\n`)).toBeUndefined();
    expect(firstPod(`garbage\n${SEP}\n{`)).toBeUndefined();
    const forged = JSON.stringify([{ name: '../../etc', id: 1 }]);
    const links = JSON.stringify([{ ifindex: 4, ifname: 'lxc1', link_netnsid: 1 }]);
    expect(firstPod(`${forged}\n${SEP}\n${links}\n`)).toBeUndefined();
    const badIface = JSON.stringify([{ ifindex: 4, ifname: 'a/b', link_netnsid: 1 }]);
    expect(firstPod(`[{"name":"cni-1","id":1}]\n${SEP}\n${badIface}\n`)).toBeUndefined();
  });
});

describe('podAddress', () => {
  it('takes the first global IPv4 address', () => {
    const addr = JSON.stringify([
      { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', scope: 'host' }] },
      { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.244.1.17', scope: 'global' }] },
    ]);
    expect(podAddress(addr)).toBe('10.244.1.17');
    expect(podAddress('[]')).toBeUndefined();
    expect(
      podAddress('[{"addr_info":[{"family":"inet","local":"1.2.3.4; rm","scope":"global"}]}]'),
    ).toBeUndefined();
  });
});

describe('inPod', () => {
  it('enters the pod with ip netns exec, and leaves argv alone without one', () => {
    const pod = { netns: 'cni-1', hostVeth: 'lxc1', address: '10.0.0.1' };
    expect(inPod(pod, ['iperf3', '-s'])).toEqual(['ip', 'netns', 'exec', 'cni-1', 'iperf3', '-s']);
    expect(inPod(undefined, ['iperf3', '-s'])).toEqual(['iperf3', '-s']);
  });
});
