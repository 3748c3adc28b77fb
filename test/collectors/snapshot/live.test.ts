import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeSnapshot } from '../../../collectors/snapshot/take.js';
import type { SshTransport } from '../../../kit/transport/ssh.js';
import { connectSsh } from '../../../kit/transport/ssh-connect.js';
import type { ExecRequest, Transport } from '../../../kit/transport/types.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG, labHost } from '../../lab-helpers.js';

// Counts the execs that go over the connection: a snapshot must be one.
function counting(t: Transport): Transport & { execs: number } {
  const c = Object.create(t) as Transport & { execs: number };
  c.execs = 0;
  c.exec = (req: ExecRequest) => {
    c.execs++;
    return t.exec(req);
  };
  return c;
}

describe.skipIf(!canRunLab())('live snapshot of a lab host over SSH', () => {
  let vmA: SshTransport;
  beforeAll(async () => {
    vmA = await connectSsh('vmA', { configFiles: [LAB_SSH_CONFIG] });
  });
  afterAll(async () => {
    await vmA?.close();
  });

  it('takes one exec and parses the host as it is', async () => {
    const t = counting(vmA);
    const { snapshot, raw } = await takeSnapshot(t);
    expect(t.execs).toBe(1);
    // Every global source works on a lab host (a broken generated script
    // would otherwise hide behind the ip-link fallbacks).
    expect(
      snapshot.sources.filter((s) => !s.iface && !s.ok).map((s) => `${s.id}: ${s.reason}`),
    ).toEqual([]);
    const host = await labHost('vmA');
    expect(snapshot.facts.hostname).toBe(host.hostname);
    const eth0 = snapshot.interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0.kind).toBe('veth');
    expect(eth0.driver).toBe('veth');
    expect(eth0.mac).toBe(host.mac);
    expect(eth0.kernel['rx_packets']).toBeGreaterThan(0n);
    // Only sysfs has carrier_changes (an attribute file); a veth's counters
    // come from ip link, its statistics being read in sysfs for device-backed
    // interfaces only.
    expect(eth0.kernel['carrier_changes']).toBeTypeOf('bigint');
    expect(eth0.kernel['tx_dropped']).toBeTypeOf('bigint');
    // ethtool -i and -S run on a software interface only when it drops (an
    // earlier test's impairment may have made this one drop).
    const drops = (eth0.kernel['rx_dropped'] ?? 0n) + (eth0.kernel['tx_dropped'] ?? 0n) > 0n;
    if (drops) expect(eth0.ethtool?.['peer_ifindex']).toBeTypeOf('bigint');
    else
      expect(snapshot.skipped?.map((k) => [k.id, k.ifaces.includes('eth0')])).toEqual([
        ['ethtool_i', true],
        ['ethtool_S', true],
      ]);
    expect(snapshot.softnet.length).toBe(snapshot.facts.cpus);
    // netdev_max_backlog and the budgets exist only in the initial network
    // namespace: root reads them there (netdev-backlog-lab.test.ts).
    expect(snapshot.sysctls['net.core.rmem_max']).toMatch(/^\d+$/);
    expect(snapshot.snmp['Udp']?.['RcvbufErrors']).toBeTypeOf('bigint');
    // Byte-exact raw: softnet_stat as the host prints it.
    const softnet = raw.find((r) => r.path === 'proc/net/softnet_stat')!;
    expect(softnet.bytes.toString()).toMatch(/^([0-9a-f]{8} ){12,}[0-9a-f]{8}\n/);
    // Ring, channel, offload and coalescing queries run only on device-backed
    // interfaces: a veth gets ethtool -i and -S when it drops, nothing more.
    const eth0Sources = snapshot.sources.filter((s) => s.iface === 'eth0').map((s) => s.id);
    expect(eth0Sources.sort()).toEqual(drops ? ['ethtool_S', 'ethtool_i'] : []);
    // IMDS is not asked outside a cloud VM.
    expect(raw.find((r) => r.path === 'host/cloud-identity.json')!.bytes.toString()).toContain(
      'not queried',
    );
  });
});
