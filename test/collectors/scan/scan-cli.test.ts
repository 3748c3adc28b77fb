import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';

// `collect scan`'s failures that need no lab: a host list that does not
// parse, no host at all, and nodes nobody answers for (loopback ports where
// nothing listens).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-scan-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collect scan, refused before it starts', () => {
  it('a malformed inventory: the file, the line and the problem, exit 2', async () => {
    const inv = join(dir, 'hosts.ini');
    await writeFile(inv, '[web]\nweb01 ansible_host=10.0.0.1\nweb[03:01]\n');
    const r = await cli('collect', ['scan', '--inventory', inv]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${inv}:3: range of "web[03:01]" runs backwards`);
    expect(r.stdout).toBe('');
  });

  it('no host source at all, exit 2', async () => {
    const r = await cli('collect', ['scan']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /give --node HOST, --nodes-file FILE, --inventory FILE or --ssh-config-hosts PATTERN/,
    );
  });

  it('--ssh-config-hosts that matches no Host entry, exit 2', async () => {
    const config = join(dir, 'ssh_config');
    await writeFile(config, 'Host web-01 web-02\n  User a\nHost *\n  User b\n');
    const r = await cli('collect', ['--ssh-config', config, 'scan', '--ssh-config-hosts', 'db-*']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no Host entry of the ssh config matches "db-*"');
  });
});

describe('collect scan, when no node answers', () => {
  it('names each node and why, and exits 5', async () => {
    const nodes = join(dir, 'nodes.txt');
    await writeFile(nodes, '# nothing listens on these\nroot@127.0.0.1:1\nroot@127.0.0.1:9\n');
    const r = await cli('collect', ['scan', '--nodes-file', nodes, '--interval', '1', '--json']);
    expect(r.exitCode, r.stderr).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.nodes.map((n: { name: string; status: string }) => [n.name, n.status])).toEqual([
      ['root@127.0.0.1:1', 'failed'],
      ['root@127.0.0.1:9', 'failed'],
    ]);
    for (const n of doc.nodes)
      expect(n.error).toMatchObject({ code: 'CONNECT_FAILED', step: 'connect' });
    expect(doc.suggestion).toBeUndefined();
  });
});
