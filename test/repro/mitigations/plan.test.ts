import { describe, expect, it } from 'vitest';
import {
  BACKLOG_FLOOR,
  backlogTarget,
  budgetTarget,
  budgetUsecsTarget,
  rmemTarget,
} from '../../../collectors/diagnosis/sysctl-values.js';
import { type HostState, netnsId, parseHostState } from '../../../repro/mitigations/host-state.js';
import { buildPlan, type PlanHost } from '../../../repro/mitigations/plan.js';
import { viaText } from '../../../repro/mitigations/settings.js';
import type { Variant } from '../../../repro/mitigations/types.js';
import { parseVariant } from '../../../repro/mitigations/variant-spec.js';
import { fixture } from '../../collectors/fixture-files.js';
import { capture } from '../../fakes/captures.js';

// The plan, from what the host-state script printed on a real lab host
// (test/fakes/captures/mitigation-state-vmB.txt: a veth with no RX ring,
// netdev_max_backlog and the budgets only visible through kthreadd's network
// namespace), and from real `ethtool -g` captures for the ring.

const STATE_VMB = capture('mitigation-state-vmB.txt');
// The plan's words for a sysctl reached through kthreadd's network namespace.
const VIA_KTHREADD = viaText({
  kind: 'file',
  path: '/proc/sys/net/core/netdev_max_backlog',
  ns: 2,
});

// The capture with its `ethtool -g` part replaced by a real one, wrapped as
// the host-state script prints it: `ring.rc<TAB>0`, then `ring<TAB><line>`.
function withRing(text: string, ethtoolG: string): string {
  const kept = text
    .split('\n')
    .filter((l) => !l.startsWith('ring\t') && !l.startsWith('ring.rc\t'));
  const ring = ethtoolG
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `ring\t${l}`);
  return [...kept.filter(Boolean), 'ring.rc\t0', ...ring, ''].join('\n');
}

function variants(...specs: string[]): Variant[] {
  return specs.map((s) => {
    const p = parseVariant(s);
    if ('error' in p) throw new Error(p.error);
    return p.variant;
  });
}

function hosts(
  b: Partial<PlanHost> & { state?: HostState },
  a: Partial<PlanHost> = {},
): PlanHost[] {
  return [
    {
      spec: 'vmA',
      role: 'sender',
      canRoot: true,
      user: 'root',
      iface: 'eth0',
      state: parseHostState(STATE_VMB.replace('459b160e', '00000000')),
      ...a,
    },
    {
      spec: 'vmB',
      role: 'receiver',
      canRoot: true,
      user: 'root',
      iface: 'eth0',
      state: parseHostState(STATE_VMB),
      ...b,
    },
  ];
}

describe('parseHostState on the real capture', () => {
  it('reads every key the lab host printed', () => {
    const s = parseHostState(STATE_VMB);
    expect(s).toEqual({
      netns: 'net:[4026532241]',
      bootId: '459b160e-2e8e-4392-8cef-91584851116b',
      cpus: 2,
      online: 3n,
      initNs: 2,
      sysctls: {
        netdev_max_backlog: { value: '10', viaInit: true },
        rmem_max: { value: '4194304', viaInit: false },
        rmem_default: { value: '212992', viaInit: false },
        netdev_budget: { value: '300', viaInit: true },
        netdev_budget_usecs: { value: '8000', viaInit: true },
      },
      rps: [{ queue: 'rx-0', mask: '2' }],
      ring: undefined,
      ringError: 'netlink error: Operation not supported',
      pending: [],
    });
    expect(netnsId(s.netns)).toBe('4026532241');
  });

  it('reads a real ethtool -g (ENA) wrapped as the script prints it', () => {
    const s = parseHostState(withRing(STATE_VMB, fixture('ethtool_g/ena-aws-ens5-tabs-na.txt')));
    expect(s.ring?.max.rx).toBe(16384);
    expect(s.ring?.current.rx).toBe(1024);
    expect(s.ringError).toBeUndefined();
  });

  it('keeps no ring when ethtool failed, even if it printed something ring-like', () => {
    const text = withRing(STATE_VMB, fixture('ethtool_g/ena-aws-ens5-tabs-na.txt')).replace(
      'ring.rc\t0',
      'ring.rc\t1',
    );
    const s = parseHostState(text);
    expect(s.ring).toBeUndefined();
    expect(s.ringError).toContain('Ring parameters for ens5:');
  });

  it('says ethtool printed nothing when it did not', () => {
    const s = parseHostState('netns\tnet:[1]\nring.rc\t0\n');
    expect(s.ring).toBeUndefined();
    expect(s.ringError).toBe('ethtool -g printed nothing');
  });

  it('drops values of the wrong shape: a hostile host sends shell, not values', () => {
    const hostile = [
      'netns\tnet:[4026532241]; rm -rf /',
      'boot\t$(reboot)',
      'cpus\t2; rm -rf /',
      'initns\t1; rm -rf /',
      'sysctl.netdev_max_backlog\t10; rm -rf /',
      'init.netdev_budget\t`reboot`',
      'sysctl.rmem_max\t-1',
      'sysctl.rmem_default\t12345678901',
      'sysctl.tcp_rmem\t4096',
      'sysctl.__proto__\t1',
      'rps.rx-0\t0000000g',
      'rps.rx-1\t00000000,0000000z',
      'rps.rx-2\t3;id',
      'rps.rx-0/../../../etc\t3',
      'rps.tx-0\t3',
      'pending\t../../etc/cron.d/x.sh',
      'pending\tabc-123.sh; rm -rf /',
      'pending\tABC-123.sh',
      // What is well formed is kept.
      'sysctl.rmem_max\t4194304',
      'rps.rx-3\t00000000,00000002',
      'pending\tabc123-4026532241.sh',
      '',
    ].join('\n');
    const s = parseHostState(hostile);
    expect(s.netns).toBe('');
    expect(s.bootId).toBe('');
    expect(s.cpus).toBeUndefined();
    expect(s.initNs).toBeUndefined();
    expect(s.sysctls).toEqual({ rmem_max: { value: '4194304', viaInit: false } });
    expect(s.rps).toEqual([{ queue: 'rx-3', mask: '00000000,00000002' }]);
    expect(s.pending).toEqual(['abc123-4026532241.sh']);
  });
});

describe('buildPlan against the real vmB', () => {
  it('backlog: set through kthreadd`s network namespace, with the via text', () => {
    expect(VIA_KTHREADD).toMatch(/initial network namespace.*nsenter -t 2 -n.*kthreadd/);
    const plan = buildPlan(variants('baseline', 'backlog'), hosts({}));
    expect(plan.problems).toEqual([]);
    expect(plan.variants).toEqual([
      { name: 'baseline', changes: [] },
      {
        name: 'backlog',
        changes: [
          {
            host: 1,
            target: { kind: 'file', path: '/proc/sys/net/core/netdev_max_backlog', ns: 2 },
            change: {
              host: 'vmB',
              role: 'receiver',
              mitigation: 'backlog',
              setting: 'net.core.netdev_max_backlog',
              from: '10',
              to: '32768',
              via: VIA_KTHREADD,
            },
          },
        ],
      },
    ]);
    expect(plan.originals).toEqual([
      [],
      [
        {
          label: 'net.core.netdev_max_backlog',
          target: { kind: 'file', path: '/proc/sys/net/core/netdev_max_backlog', ns: 2 },
          value: '10',
        },
      ],
    ]);
  });

  it('backlog through PID 1 when that one can be entered; no via when visible directly', () => {
    const viaPid1 = parseHostState(STATE_VMB.replace('initns\t2', 'initns\t1'));
    const c = buildPlan(variants('backlog'), hosts({ state: viaPid1 })).variants[0]!.changes[0]!;
    expect(c.target).toEqual({
      kind: 'file',
      path: '/proc/sys/net/core/netdev_max_backlog',
      ns: 1,
    });
    expect(c.change.via).toMatch(/^the initial network namespace \(nsenter -t 1 -n\)$/);

    const direct = parseHostState(
      STATE_VMB.replace('init.netdev_max_backlog', 'sysctl.netdev_max_backlog'),
    );
    const d = buildPlan(variants('backlog=65536'), hosts({ state: direct })).variants[0]!
      .changes[0]!;
    expect(d.target).toEqual({ kind: 'file', path: '/proc/sys/net/core/netdev_max_backlog' });
    expect(d.change).not.toHaveProperty('via');
    expect(d.change.to).toBe('65536');
  });

  it('backlog not visible and no initial namespace to enter: a problem that says why', () => {
    const hidden = parseHostState(
      STATE_VMB.replace('initns\t2\n', 'initns\t\n').replace(/^init\..*\n/gm, ''),
    );
    const plan = buildPlan(variants('backlog'), hosts({ state: hidden }));
    expect(plan.problems).toEqual([
      'vmB: backlog: net.core.netdev_max_backlog is not visible here, and the initial network namespace cannot be entered (nsenter -t 1 -n needs root and a visible PID 1 or kthreadd)',
    ]);
    expect(plan.variants[0]!.changes).toEqual([]);
  });

  it('ring on this veth: a problem naming the interface and that it has no RX ring', () => {
    const plan = buildPlan(variants('ring'), hosts({}));
    expect(plan.problems).toEqual([
      'vmB: ring: eth0 has no RX ring to resize (ethtool -g eth0: netlink error: Operation not supported); virtual devices such as veth have none',
    ]);
    expect(plan.variants[0]!.changes).toEqual([]);
    expect(plan.originals).toEqual([[], []]);
  });

  it('rps: every RX queue to all CPUs, in the kernel`s own shape', () => {
    const plan = buildPlan(variants('rps'), hosts({}));
    expect(plan.problems).toEqual([]);
    expect(plan.variants[0]!.changes).toEqual([
      {
        host: 1,
        target: { kind: 'file', path: '/sys/class/net/eth0/queues/rx-0/rps_cpus' },
        change: {
          host: 'vmB',
          role: 'receiver',
          mitigation: 'rps',
          setting: 'eth0 rx-0 rps_cpus',
          from: '2',
          to: '3',
        },
      },
    ]);
    const wide = parseHostState(
      STATE_VMB.replace('rps.rx-0\t2', 'rps.rx-0\t00000000,00000002\nrps.rx-1\t00000000,00000001'),
    );
    const changes = buildPlan(variants('rps'), hosts({ state: wide })).variants[0]!.changes;
    expect(changes.map((c) => [c.change.setting, c.change.from, c.change.to])).toEqual([
      ['eth0 rx-0 rps_cpus', '00000000,00000002', '00000000,00000003'],
      ['eth0 rx-1 rps_cpus', '00000000,00000001', '00000000,00000003'],
    ]);
  });

  it('rps spreads over the online CPUs, which need not be 0 to n-1', () => {
    const gaps = parseHostState(STATE_VMB.replace('online\t0-1\n', 'online\t0,2-3\n'));
    const c = buildPlan(variants('rps'), hosts({ state: gaps })).variants[0]!.changes[0]!;
    expect(c.change.to).toBe('d');
  });

  it('rps without a queue or a CPU count: a problem', () => {
    const noQueue = parseHostState(STATE_VMB.replace('rps.rx-0\t2\n', ''));
    expect(buildPlan(variants('rps'), hosts({ state: noQueue })).problems).toEqual([
      'vmB: rps: eth0 shows no RX queue with rps_cpus (no CONFIG_RPS?)',
    ]);
    const noCpus = parseHostState(
      STATE_VMB.replace('cpus\t2\n', 'cpus\t\n').replace('online\t0-1\n', ''),
    );
    expect(buildPlan(variants('rps'), hosts({ state: noCpus })).problems).toEqual([
      'vmB: rps: the online CPUs could not be read',
    ]);
  });

  it('rmem and budget default to the diagnosis`s own advice', () => {
    const plan = buildPlan(variants('rmem', 'budget', 'backlog'), hosts({}));
    expect(plan.problems).toEqual([]);
    const [rmem, budget, backlog] = plan.variants.map((v) =>
      v.changes.map((c) => [c.change.setting, c.change.from, c.change.to, c.target]),
    );
    const rmemTo = String(rmemTarget(4_194_304));
    expect(rmemTo).toBe('16777216');
    expect(rmem).toEqual([
      [
        'net.core.rmem_max',
        '4194304',
        rmemTo,
        { kind: 'file', path: '/proc/sys/net/core/rmem_max' },
      ],
      [
        'net.core.rmem_default',
        '212992',
        rmemTo,
        { kind: 'file', path: '/proc/sys/net/core/rmem_default' },
      ],
    ]);
    expect([String(budgetTarget(300)), String(budgetUsecsTarget(8000))]).toEqual(['600', '20000']);
    expect(budget).toEqual([
      [
        'net.core.netdev_budget',
        '300',
        String(budgetTarget(300)),
        { kind: 'file', path: '/proc/sys/net/core/netdev_budget', ns: 2 },
      ],
      [
        'net.core.netdev_budget_usecs',
        '8000',
        String(budgetUsecsTarget(8000)),
        { kind: 'file', path: '/proc/sys/net/core/netdev_budget_usecs', ns: 2 },
      ],
    ]);
    expect(backlog?.[0]?.[2]).toBe(String(BACKLOG_FLOOR));
  });

  it('backlog with no value on this host is the diagnosis`s advice (10 → 32768)', () => {
    const c = buildPlan(variants('backlog'), hosts({})).variants[0]!.changes[0]!;
    expect(c.change.to).toBe(String(backlogTarget(10)));
  });

  // The default follows the diagnosis's advice: on a host already above
  // 32768, a "mitigation" must not lower the backlog.
  it('backlog with no value never lowers a larger current value', () => {
    const big = parseHostState(
      STATE_VMB.replace('init.netdev_max_backlog\t10', 'init.netdev_max_backlog\t65536'),
    );
    const c = buildPlan(variants('backlog'), hosts({ state: big })).variants[0]!.changes[0]!;
    expect(c.change.from).toBe('65536');
    expect(Number(c.change.to)).toBeGreaterThanOrEqual(65536);
    expect(c.change.to).toBe(String(backlogTarget(65536)));
  });

  it('rmem=N and budget=N set what was asked', () => {
    const plan = buildPlan(variants('rmem=8388608', 'budget=1000'), hosts({}));
    expect(plan.variants[0]!.changes.map((c) => c.change.to)).toEqual(['8388608', '8388608']);
    // The budget's time limit still follows the advice.
    expect(plan.variants[1]!.changes.map((c) => c.change.to)).toEqual(['1000', '20000']);
  });

  it('a host that cannot be root is refused, naming the user; nothing is planned there', () => {
    const plan = buildPlan(
      variants('backlog@both'),
      hosts({ canRoot: false, user: 'dklab', state: undefined }, { canRoot: false, user: '' }),
    );
    expect(plan.problems).toEqual([
      'vmA: changing settings needs root, and the login user is not root and has no passwordless sudo: log in as root, or allow `sudo -n` for this user',
      'vmB: changing settings needs root, and dklab is not root and has no passwordless sudo: log in as root, or allow `sudo -n` for this user',
    ]);
    expect(plan.variants[0]!.changes).toEqual([]);
  });

  it('a host without its data interface, state or network namespace is refused', () => {
    expect(buildPlan(variants('backlog'), hosts({ iface: undefined })).problems).toEqual([
      'vmB: the data interface is not known',
    ]);
    expect(buildPlan(variants('backlog'), hosts({ state: undefined })).problems).toEqual([
      'vmB: its current settings could not be read',
    ]);
    const noNs = parseHostState(STATE_VMB.replace('netns\tnet:[4026532241]', 'netns\t?'));
    expect(buildPlan(variants('backlog'), hosts({ state: noNs })).problems).toEqual([
      'vmB: its network namespace could not be read',
    ]);
  });

  it('a problem is named once however many variants meet it', () => {
    const plan = buildPlan(variants('ring', 'ring+backlog', 'ring=512'), hosts({}));
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatch(/^vmB: ring: eth0 has no RX ring/);
  });

  it('sharedKernel: both hosts on one boot_id', () => {
    const same = parseHostState(STATE_VMB);
    expect(buildPlan(variants('backlog@both'), hosts({}, { state: same })).sharedKernel).toBe(true);
    expect(buildPlan(variants('backlog@both'), hosts({})).sharedKernel).toBe(false);
    // Unknown on either side is not "shared".
    const noBoot = parseHostState(STATE_VMB.replace(/^boot\t.*\n/m, ''));
    expect(
      buildPlan(variants('backlog@both'), hosts({ state: noBoot }, { state: noBoot })).sharedKernel,
    ).toBe(false);
    expect(buildPlan(variants('backlog'), hosts({}, { state: undefined })).sharedKernel).toBe(
      false,
    );
  });

  it('originals: each setting once per host, with its value before any variant', () => {
    const plan = buildPlan(
      variants('backlog', 'backlog=65536', 'backlog+rmem', 'rmem@both', 'baseline'),
      hosts({}),
    );
    expect(plan.problems).toEqual([]);
    const labels = (i: number) => plan.originals[i]!.map((s) => `${s.label}=${s.value}`);
    expect(labels(1)).toEqual([
      'net.core.netdev_max_backlog=10',
      'net.core.rmem_max=4194304',
      'net.core.rmem_default=212992',
    ]);
    expect(labels(0)).toEqual(['net.core.rmem_max=4194304', 'net.core.rmem_default=212992']);
    expect(plan.variants.map((v) => v.changes.length)).toEqual([1, 1, 3, 4, 0]);
    expect(
      plan.variants[3]!.changes.map((c) => `${c.host} ${c.change.host} ${c.change.role}`),
    ).toEqual(['0 vmA sender', '0 vmA sender', '1 vmB receiver', '1 vmB receiver']);
  });
});

describe('buildPlan: the ring, from real ethtool -g captures', () => {
  const ena = parseHostState(withRing(STATE_VMB, fixture('ethtool_g/ena-aws-ens5-tabs-na.txt')));
  const netvsc = parseHostState(
    withRing(STATE_VMB, fixture('ethtool_g/hv_netvsc-wsl2-5.10.102.1-microsoft.txt')),
  );

  it('ring with no value: the preset maximum', () => {
    const plan = buildPlan(variants('ring'), hosts({ state: ena }));
    expect(plan.problems).toEqual([]);
    expect(plan.variants[0]!.changes).toEqual([
      {
        host: 1,
        target: { kind: 'ring', iface: 'eth0' },
        change: {
          host: 'vmB',
          role: 'receiver',
          mitigation: 'ring',
          setting: 'eth0 rx ring',
          from: '1024',
          to: '16384',
        },
      },
    ]);
    expect(plan.originals[1]).toEqual([
      { label: 'eth0 rx ring', target: { kind: 'ring', iface: 'eth0' }, value: '1024' },
    ]);
    const nv = buildPlan(variants('ring'), hosts({ state: netvsc })).variants[0]!.changes[0]!;
    expect([nv.change.from, nv.change.to]).toEqual(['9709', '18811']);
  });

  it('ring=N up to the maximum is planned; above it is refused with both numbers', () => {
    expect(
      buildPlan(variants('ring=4096'), hosts({ state: ena })).variants[0]!.changes[0]!.change.to,
    ).toBe('4096');
    expect(buildPlan(variants('ring=16384'), hosts({ state: ena })).problems).toEqual([]);
    const plan = buildPlan(variants('ring=16385', 'ring=99999'), hosts({ state: ena }));
    expect(plan.problems).toEqual([
      "vmB: ring: rx 16385 is above eth0's preset maximum of 16384 (ethtool -g eth0)",
      "vmB: ring: rx 99999 is above eth0's preset maximum of 16384 (ethtool -g eth0)",
    ]);
    expect(plan.variants.map((v) => v.changes)).toEqual([[], []]);
  });
});
