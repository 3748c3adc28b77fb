import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSummary } from '../../../bundles/summary.js';
import { takeSnapshot } from '../../../collectors/snapshot/take.js';
import { VIA_INIT_COMMENT } from '../../../collectors/sysctl-read.js';
import { LAB_USER, userAliasFor } from '../../../kit/lab/layout.js';
import { openTransport } from '../../../kit/transport/open.js';
import type { Transport } from '../../../kit/transport/types.js';
import { canRunLab } from '../../lab-available.js';
import { LAB_SSH_CONFIG } from '../../lab-helpers.js';

// issue 16 item 11: net.core.netdev_max_backlog is global, registered only in
// the initial network namespace, so a lab host (like a container) has no
// /proc/sys file for it. As root the snapshot reads it through the initial
// namespace, as `repro compare` does to set it; as a user without root it is
// listed as not collected, with the command that reads it. Nothing changes.
const BACKLOG = 'net.core.netdev_max_backlog';
const machine = () => readFileSync('/proc/sys/net/core/netdev_max_backlog', 'utf8').trim();

describe.skipIf(!canRunLab())('netdev_max_backlog in a lab snapshot', () => {
  let root: Transport;
  let user: Transport;
  beforeAll(async () => {
    root = await openTransport('vmA', { sshConfig: [LAB_SSH_CONFIG] });
    user = await openTransport(userAliasFor('vmA'), { sshConfig: [LAB_SSH_CONFIG] });
  });
  afterAll(async () => {
    await root?.close();
    await user?.close();
  });

  it("as root: the machine's value, read in the initial network namespace", async () => {
    const before = machine();
    const { snapshot, raw } = await takeSnapshot(root);
    expect(snapshot.sysctls[BACKLOG]).toBe(before);
    expect(snapshot.sysctls['net.core.netdev_budget']).toMatch(/^\d+$/);
    expect(snapshot.sources.find((s) => s.id === 'sysctl')).toMatchObject({ ok: true });
    const text = raw.find((r) => r.path === 'kernel/sysctl.txt')!.bytes.toString();
    expect(text).toContain(`${VIA_INIT_COMMENT}\n${BACKLOG} = ${before}\n`);
    expect(machine()).toBe(before);
  });

  it('as a user without root: not collected, with the reason, in the bundle summary too', async () => {
    expect(user.info.user).toBe(LAB_USER);
    const before = machine();
    const { snapshot } = await takeSnapshot(user);
    expect(snapshot.sysctls[BACKLOG]).toBeUndefined();
    // The ones this namespace has are still there.
    expect(snapshot.sysctls['net.core.somaxconn']).toMatch(/^\d+$/);
    const reason = expect.stringMatching(
      /^global sysctls?, not visible in this network namespace; as root: nsenter -t 1 -n sysctl net\.core\.netdev_max_backlog( |$)/,
    );
    expect(snapshot.sources.find((s) => s.id === 'sysctl')).toMatchObject({ ok: false, reason });
    expect(hostSummary('vmA', snapshot).notCollected).toContainEqual({
      source: 'sysctl',
      reason,
      ifaces: [],
    });
    expect(machine()).toBe(before);
  });
});
