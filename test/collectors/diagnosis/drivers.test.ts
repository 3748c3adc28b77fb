import { describe, expect, it } from 'vitest';
import {
  GENERIC_ETHTOOL_RULES,
  KERNEL_RULES,
  SNMP_RULES,
} from '../../../collectors/diagnosis/drivers/generic.js';
import {
  classifyEthtool,
  classifyKernel,
  classifySnmp,
  DRIVER_TABLES,
} from '../../../collectors/diagnosis/drivers/index.js';
import { parseEthtoolStats } from '../../../collectors/ethtool-stats.js';
import { BNXT_ETHTOOL_S, MLX5_ETHTOOL_S } from './captures.js';

const mlx5 = { driver: 'mlx5_core', kind: 'sriov-vf' as const };
const ena = { driver: 'ena', kind: 'physical' as const };
const mana = { driver: 'mana', kind: 'sriov-vf' as const };
const gve = { driver: 'gve', kind: 'physical' as const };
const virtio = { driver: 'virtio_net', kind: 'physical' as const };
const veth = { kind: 'veth' as const };
const unknown = { driver: 'foo_nic', kind: 'physical' as const };

const summary = (hit: ReturnType<typeof classifyEthtool>) =>
  hit && { class: hit.rule.class, kind: hit.rule.kind, family: hit.rule.family, queue: hit.queue };

// Keys are matched by exact name and by per-queue pattern, so queues no capture shows and
// drivers' key-set changes are handled (COUNTERS.md: "A parser must not assume a fixed key set").
describe('driver knowledge base', () => {
  it.each([
    [mlx5, 'rx_out_of_buffer', { class: 'RING', kind: 'loss', family: 'rx_out_of_buffer' }],
    [
      mlx5,
      'rx17_buff_alloc_err',
      { class: 'OTHER', kind: 'loss', family: 'rxN_buff_alloc_err', queue: 17 },
    ],
    [mlx5, 'tx63_stopped', { class: 'TXQ', kind: 'event', family: 'txN_stopped', queue: 63 }],
    [
      mlx5,
      'rx_prio3_buf_discard',
      { class: 'RING', kind: 'loss', family: 'rx_prioN_buf_discard', queue: 3 },
    ],
    [
      mlx5,
      'rx_steer_missed_packets',
      { class: 'OTHER', kind: 'policy', family: 'rx_steer_missed_packets' },
    ],
    [
      ena,
      'pps_allowance_exceeded',
      { class: 'CLOUD', kind: 'loss', family: 'pps_allowance_exceeded' },
    ],
    [
      ena,
      'queue_31_tx_queue_stop',
      { class: 'TXQ', kind: 'event', family: 'queue_N_tx_queue_stop', queue: 31 },
    ],
    [
      ena,
      'conntrack_allowance_available',
      { class: 'CLOUD', kind: 'gauge', family: 'conntrack_allowance_available' },
    ],
    [
      mana,
      'hc_rx_discards_no_wqe',
      { class: 'RING', kind: 'loss', family: 'hc_rx_discards_no_wqe' },
    ],
    [mana, 'hc_tx_err_sqpdid_enforecement', { class: 'OTHER', kind: 'loss', family: 'hc_tx_err' }],
    [
      mana,
      'rx_0_xdp_drop#2',
      { class: 'OTHER', kind: 'policy', family: 'rx_N_xdp_drop', queue: 0 },
    ],
    [
      { driver: 'hv_netvsc', kind: 'physical' as const },
      'tx_no_space',
      { class: 'TXQ', kind: 'loss', family: 'tx_no_space' },
    ],
    [
      gve,
      'rx_no_buffers_posted[5]',
      { class: 'RING', kind: 'loss', family: 'rx_no_buffers_posted[N]', queue: 5 },
    ],
    [
      virtio,
      'rx_hw_packets_allowance_exceede',
      { class: 'CLOUD', kind: 'loss', family: 'rx_hw_allowance' },
    ],
    [
      virtio,
      'rx_queue_3_drops',
      { class: 'OTHER', kind: 'loss', family: 'rx_queue_N_drops', queue: 3 },
    ],
    [
      veth,
      'rx_queue_0_drops',
      { class: 'BACKLOG', kind: 'loss', family: 'rx_queue_N_drops', queue: 0 },
    ],
    [
      unknown,
      'rx_missed_errors',
      { class: 'RING', kind: 'loss', family: 'ethtool_rx_missed_errors' },
    ],
    [
      unknown,
      'rx_mystery_discards',
      { class: 'OTHER', kind: 'guess', family: 'rx_mystery_discards' },
    ],
  ])('%o %s', (iface, key, expected) => {
    expect(summary(classifyEthtool(iface, key))).toEqual(expected);
  });

  it('ignores unknown counters whose name does not say drop/discard/miss/err', () => {
    for (const key of [
      'rx_mystery_packets',
      'rx_interrupts',
      'tx_discard_bytes',
      'cpu3_vf_rx_bytes',
    ]) {
      expect(classifyEthtool(unknown, key)).toBeUndefined();
    }
  });

  it('kernel counters: rx_dropped is ambiguous; veth tx_dropped corroborates the backlog', () => {
    expect(summary(classifyKernel(mlx5, 'rx_missed_errors'))).toMatchObject({
      class: 'RING',
      kind: 'loss',
    });
    expect(summary(classifyKernel(mlx5, 'rx_dropped'))).toMatchObject({ kind: 'ambiguous' });
    expect(summary(classifyKernel(veth, 'tx_dropped'))).toMatchObject({
      class: 'BACKLOG',
      kind: 'ambiguous',
    });
    expect(summary(classifyKernel(mlx5, 'tx_dropped'))).toMatchObject({
      class: 'TXQ',
      kind: 'ambiguous',
    });
    expect(summary(classifyKernel(mlx5, 'rx_errors'))).toMatchObject({ kind: 'aggregate' });
    expect(classifyKernel(mlx5, 'rx_packets')).toBeUndefined();
  });

  it('snmp: Udp RcvbufErrors is SOCKET loss, InErrors an aggregate', () => {
    expect(classifySnmp('Udp', 'RcvbufErrors')?.rule).toMatchObject({
      class: 'SOCKET',
      kind: 'loss',
    });
    expect(classifySnmp('Udp6', 'RcvbufErrors')?.rule.family).toBe('RcvbufErrors');
    expect(classifySnmp('Udp', 'InErrors')?.rule.kind).toBe('aggregate');
    expect(classifySnmp('Udp', 'InDatagrams')).toBeUndefined();
  });

  it('every pattern is anchored, so a rule cannot match inside another name', () => {
    const rules = [
      ...DRIVER_TABLES.flatMap((t) => [...t.ethtool, ...(t.kernel ?? [])]),
      ...KERNEL_RULES,
      ...GENERIC_ETHTOOL_RULES,
      ...SNMP_RULES,
    ];
    for (const r of rules) if (r.match instanceof RegExp) expect(r.match.source).toMatch(/^\^/);
  });

  it('classifies every loss-looking key of the real mlx5 capture without guessing', () => {
    const keys = Object.keys(parseEthtoolStats(MLX5_ETHTOOL_S).value.stats);
    const hits = keys.map((k) => classifyEthtool(mlx5, k)).filter((h) => h !== undefined);
    expect(hits.some((h) => h.rule.kind === 'guess')).toBe(false);
    expect(
      hits
        .filter((h) => h.rule.class === 'RING' && h.rule.kind === 'loss')
        .map((h) => h.rule.family),
    ).toEqual(expect.arrayContaining(['rx_out_of_buffer']));
    // The port buffer, before any RX queue: RING only next to rx_out_of_buffer (COUNTERS.md).
    expect(classifyEthtool(mlx5, 'rx_discards_phy')?.rule).toMatchObject({
      class: 'OTHER',
      kind: 'loss',
      joins: 'RING',
      cause: 'port-buffer',
      feeds: ['rx_dropped'],
    });
  });

  it('classifies every loss-looking key of the real bnxt_en capture without guessing', () => {
    const bnxt = { driver: 'bnxt_en', kind: 'physical' as const };
    const keys = Object.keys(parseEthtoolStats(BNXT_ETHTOOL_S).value.stats);
    const guessed = keys.filter((k) => classifyEthtool(bnxt, k)?.rule.kind === 'guess');
    expect(guessed).toEqual([]);
    expect(classifyEthtool(bnxt, '[7]: rx_discards')).toMatchObject({
      rule: { class: 'RING', kind: 'loss', feeds: ['rx_missed_errors'] },
      queue: 7,
    });
  });

  it('TcpExt ListenOverflows / ListenDrops are SOCKET loss with a cause of their own', () => {
    for (const name of ['ListenOverflows', 'ListenDrops']) {
      expect(classifySnmp('TcpExt', name)?.rule).toMatchObject({
        class: 'SOCKET',
        kind: 'loss',
        cause: 'listen',
      });
    }
  });
});
