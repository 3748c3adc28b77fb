import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impair, resetImpairments } from '../../kit/lab/impair.js';
import { labDown, labUp } from '../../kit/lab/lab.js';
import { labIdFor } from '../../kit/lab/layout.js';
import { readState } from '../../kit/lab/state.js';
import { cli } from '../cli-helpers.js';
import { canRunLab } from '../lab-available.js';

// The seed's signature on a node with pods: pod-to-pod traffic into a
// receiver whose backlog is tiny. The receiving pod's host-side lxc… veth
// counts what the backlog refused as TX dropped (veth_xmit), beside softnet
// `dropped`: one BACKLOG finding citing both, and no TXQ finding. A lab of
// its own, with 100 pods per host as a busy node has.
const ID = labIdFor('prun');
let config: string;
let out: string;

describe.skipIf(!canRunLab())('repro run --pod on a lab with 100 pods', () => {
  beforeAll(async () => {
    config = mkdtempSync(join(tmpdir(), 'dropkit-pods-cases-'));
    out = mkdtempSync(join(tmpdir(), 'dropkit-pods-out-'));
    await labUp({ id: ID, hosts: 2, pods: 100 });
  }, 120_000);
  afterAll(async () => {
    const state = await readState(ID.stateDir);
    if (state) await resetImpairments(state, () => undefined);
    await labDown({ id: ID });
    rmSync(config, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }, 60_000);

  it('a pod-to-pod microburst into a tiny backlog: BACKLOG first, citing softnet and the pod veth, no TXQ', async () => {
    await impair((await readState(ID.stateDir))!, { backlog: 10, rpsToCpu: 1 }, () => undefined);
    const r = await cli(
      'repro',
      ['run', '--pair', 'vmA', 'vmB', '--pod', '--profile', 'microburst', '--duration', '3'].concat(
        ['--out', out, '--json'],
      ),
      { DROPKIT_LAB: ID.name, XDG_CONFIG_HOME: config },
    );
    expect(r.stderr).toBe('');
    const res = JSON.parse(r.stdout);
    const classes = res.findings.map((f: { class: string }) => f.class);
    expect(classes[0]).toBe('BACKLOG');
    expect(classes).not.toContain('TXQ');
    const dir = join(out, 'x');
    await execa('mkdir', ['-p', dir]);
    await execa('tar', ['xzf', res.file, '-C', dir]);
    const root = join(dir, readdirSync(dir)[0]!);
    // iperf3 ran in the first pod of each host, and the receiver's host-side veth is known.
    const run = JSON.parse(readFileSync(join(root, 'repro', 'run.json'), 'utf8'));
    const pod = run.hosts[1].pod;
    // Its name holds the host's alias, pseudonymised like every host name.
    expect(pod.netns).toMatch(new RegExp(`^${ID.prefix}-[\\w-]+-p0$`));
    expect(pod.hostVeth).toMatch(/^lxc[0-9a-f]{12}$/);
    const summary = JSON.parse(readFileSync(join(root, 'summary.json'), 'utf8'));
    const backlog = summary.findings.find((f: { class: string }) => f.class === 'BACKLOG');
    const evidence: string[] = backlog.evidence;
    expect(evidence.some((e) => /^softnet dropped \(cpu\d+\): \+[\d,]+/.test(e))).toBe(true);
    const veth = evidence.find((e) => e.startsWith(`${pod.hostVeth} tx_dropped: +`));
    expect(veth).toBeDefined();
  }, 120_000);
});
