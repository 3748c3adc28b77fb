import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  applyHostScript,
  hostChanges,
  parseInspect,
  rollbackScript,
  sha256Hex,
} from '../../../repro/mitigate/host-apply.js';
import type { FixPlan, GeneratedFile } from '../../../repro/persist/types.js';

// The pure half of `repro mitigate --apply`: what a host said, what would
// change, and the scripts. The lab test (test/repro/mitigate-lab.test.ts)
// runs them over SSH.

const CONF = '/etc/sysctl.d/90-dropkit.conf';
const content = '# Written by dropkit\nnet.core.netdev_max_backlog = 32768\n';
const files: GeneratedFile[] = [
  { path: 'etc/sysctl.d/90-dropkit.conf', installTo: CONF, content, what: 'w' },
];
const plan: FixPlan = {
  sysctls: [{ name: 'net.core.netdev_max_backlog', target: 32768, because: 'BACKLOG' }],
  ring: [
    { host: 'vmB', iface: 'enP1s1', driver: 'mlx5_core', azureVf: true, current: 1024, max: 8192 },
  ],
};

describe('what a host said', () => {
  it('keeps only values of the expected shape', () => {
    const ins = parseInspect(
      [
        'netns\tnet:[4026532000]',
        'record\t/var/lib/dropkit/mitigate-4026532000.sh',
        `file\t${CONF}\tabsent`,
        'file\t/etc/x\tours notahash',
        'file\trelative\tabsent',
        'sysctl\tnet.core.netdev_max_backlog\t1\t1000',
        'sysctl\tnet.core.somaxconn\t-\t$(reboot)',
        'ring\tenP2s1\tmlx5_core\t1024\t8192',
        'ring\tbad;name\tmlx5_core\t1\t2',
      ].join('\n'),
    );
    expect(ins.netns).toBe('net:[4026532000]');
    expect(ins.record).toBe('/var/lib/dropkit/mitigate-4026532000.sh');
    expect([...ins.files]).toEqual([[CONF, { state: 'absent' }]]);
    expect([...ins.sysctls]).toEqual([['net.core.netdev_max_backlog', { value: '1000', ns: 1 }]]);
    expect(ins.rings).toEqual([{ iface: 'enP2s1', driver: 'mlx5_core', current: 1024, max: 8192 }]);
  });
});

describe('what would change', () => {
  const base = () =>
    parseInspect(
      [
        'netns\tnet:[1]',
        `file\t${CONF}\tabsent`,
        'sysctl\tnet.core.netdev_max_backlog\t-\t1000',
        'ring\tenP9s1\tmlx5_core\t1024\t8192',
      ].join('\n'),
    );

  it("the file, the sysctl and the ring of the NIC found by its driver (its name here, not the bundle's)", () => {
    const c = hostChanges(files, plan, base());
    expect(c.problems).toEqual([]);
    expect(c.files).toEqual([{ path: CONF, content, sha: sha256Hex(content), fresh: true }]);
    expect(c.settings.map((s) => [s.label, s.value])).toEqual([
      ['net.core.netdev_max_backlog', '32768'],
      ['enP9s1 rx ring', '8192'],
    ]);
    expect(c.originals.map((s) => s.value)).toEqual(['1000', '1024']);
  });

  it('already applied: nothing; a foreign file or an earlier record: refused', () => {
    const ins = base();
    ins.files.set(CONF, { state: 'ours', sha: sha256Hex(content) });
    ins.sysctls.set('net.core.netdev_max_backlog', { value: '65536' });
    ins.rings[0]!.current = 8192;
    const same = hostChanges(files, plan, ins);
    expect(same.files).toEqual([]);
    expect(same.settings).toEqual([]);
    expect(same.same).toHaveLength(3);
    const foreign = base();
    foreign.files.set(CONF, { state: 'foreign' });
    expect(hostChanges(files, plan, foreign).problems[0]).toMatch(/dropkit did not write it/);
    const recorded = { ...base(), record: '/var/lib/dropkit/mitigate-1.sh' };
    expect(hostChanges(files, plan, recorded).problems[0]).toMatch(/roll it back first/);
  });
});

describe('the scripts', () => {
  it('are valid sh', async () => {
    const c = hostChanges(
      files,
      plan,
      parseInspect(
        `netns\tnet:[1]\nfile\t${CONF}\tabsent\nsysctl\tnet.core.netdev_max_backlog\t-\t1000\n`,
      ),
    );
    const rollback = rollbackScript({
      netns: 'net:[1]',
      generator: 'g',
      createdAt: 't',
      files: c.files,
      originals: c.originals,
    });
    for (const s of [
      rollback,
      applyHostScript({ record: '/var/lib/dropkit/mitigate-1.sh', rollback, changes: c }),
    ]) {
      const r = await execa('sh', ['-n'], { input: s, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    expect(rollback).toMatch(new RegExp(`^unput '?${CONF}'? ${sha256Hex(content)}$`, 'm'));
  });
});
