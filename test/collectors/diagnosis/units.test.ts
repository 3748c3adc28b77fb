import { describe, expect, it } from 'vitest';
import { seriesStats } from '../../../collectors/diagnosis/series.js';
import {
  backlogTarget,
  budgetTarget,
  budgetUsecsTarget,
  rmemTarget,
  sysctlTriple,
} from '../../../collectors/diagnosis/sysctl-values.js';
import { classifyTraceEntry } from '../../../collectors/diagnosis/trace-reasons.js';

describe('mitigation values', () => {
  it('netdev_max_backlog: at least 32768 and 4× the current, capped at 131072', () => {
    expect(backlogTarget(10)).toBe(32768);
    expect(backlogTarget(1000)).toBe(32768);
    expect(backlogTarget(undefined)).toBe(32768);
    expect(backlogTarget(16384)).toBe(65536);
    expect(backlogTarget(50000)).toBe(131072);
    expect(backlogTarget(131072)).toBeUndefined();
  });

  it('netdev_budget 2× (≥600), netdev_budget_usecs 4× (≥8000)', () => {
    expect([budgetTarget(300), budgetUsecsTarget(2000)]).toEqual([600, 8000]);
    expect([budgetTarget(1000), budgetUsecsTarget(4000)]).toEqual([2000, 16000]);
    expect([budgetTarget(3000), budgetUsecsTarget(20000)]).toEqual([undefined, undefined]);
  });

  it('rmem_max: at least 16 MiB', () => {
    expect(rmemTarget(212992)).toBe(16777216);
    expect(rmemTarget(8388608)).toBe(33554432);
    expect(
      sysctlTriple({ 'net.ipv4.tcp_rmem': '4096\t131072\t6291456' }, 'net.ipv4.tcp_rmem'),
    ).toEqual([4096, 131072, 6291456]);
  });
});

describe('kfree_skb reasons and locations', () => {
  it.each([
    ['CPU_BACKLOG', 'enqueue_to_backlog', 'BACKLOG', true],
    ['SKB_DROP_REASON_CPU_BACKLOG', 'enqueue_to_backlog', 'BACKLOG', true],
    ['SOCKET_RCVBUFF', '__udp_enqueue_schedule_skb', 'SOCKET', true],
    ['QDISC_DROP', 'kfree_skb_list_reason', 'QDISC', true],
    ['FULL_RING', 'tun_net_xmit', 'RING', true],
    // Kernels without reasons, and plain kfree_skb() before CPU_BACKLOG existed.
    [null, 'enqueue_to_backlog', 'BACKLOG', false],
    ['NOT_SPECIFIED', 'enqueue_to_backlog+0x1c/0x90', 'BACKLOG', false],
    [null, '__udp_queue_rcv_skb', 'SOCKET', false],
    [null, 'sock_queue_rcv_skb', 'SOCKET', false],
  ])('%s at %s → %s', (reason, location, cls, byReason) => {
    expect(classifyTraceEntry(reason, location)).toMatchObject({ class: cls, byReason });
  });

  it.each([
    ['NO_SOCKET', '__udp4_lib_rcv'],
    ['SOCKET_FILTER', 'sk_filter_trim_cap'],
    ['NETFILTER_DROP', 'nf_hook_slow'],
    ['NOT_SPECIFIED', 'skb_release_data'],
    [null, 'tcp_v4_rcv'],
  ])('%s at %s is not a capacity drop', (reason, location) => {
    expect(classifyTraceEntry(reason, location)).toBeUndefined();
  });
});

describe('seriesStats', () => {
  it('dates the first and last move and survives a 32-bit wrap', () => {
    const stats = seriesStats(
      {
        host: 'h',
        key: 'softnet.cpu0.dropped',
        points: [
          [3000, 5n],
          [1000, 0xfffffff0n],
          [2000, 0xfffffff0n],
        ],
      },
      32,
    );
    // 0xfffffff0 → 5 is 21 events in one second, not a 4-billion jump.
    expect(stats).toEqual({
      window: { from: '1970-01-01T00:00:03.000Z', to: '1970-01-01T00:00:03.000Z' },
      peakRatePerSec: 21,
    });
  });

  it('has no window when the counter never moved', () => {
    expect(
      seriesStats({
        host: 'h',
        key: 'k',
        points: [
          [0, 1n],
          [1000, 1n],
        ],
      }),
    ).toEqual({});
  });
});
