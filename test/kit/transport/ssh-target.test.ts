import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../kit/transport/ssh-target.js';

// Names that only the jump host can resolve: `.invalid` never resolves here
// (RFC 6761), so a local lookup would refuse them.
const dir = mkdtempSync(join(tmpdir(), 'dropkit-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'ssh_config');
// A ProxyJump from `Host *`: no Host block names the target itself.
writeFileSync(config, 'Host *\n  ProxyJump bastion.corp.invalid\n');

describe('resolveTarget behind a jump host', () => {
  it('leaves the name of a target reached through ProxyJump to the jump host', async () => {
    const t = await resolveTarget('db1.corp.invalid', { configFiles: [config] });
    expect(t.resolved.hostName).toBe('db1.corp.invalid');
    expect(t.resolved.proxyJump).toEqual(['bastion.corp.invalid']);
  });

  it('and of a hop after the first', async () => {
    const t = await resolveTarget('inner.other.invalid', { configFiles: [config], viaJump: true });
    expect(t.resolved.hostName).toBe('inner.other.invalid');
  });
});
