import { describe, expect, it } from 'vitest';
import { archivePath } from '../../../collectors/offline/archive-tree.js';
import { resolveIn, type TreeNode } from '../../../collectors/offline/file-tree.js';
import { matchingPaths } from '../../../collectors/offline/layout-paths.js';
import { evidenceFileName } from '../../../collectors/offline/layouts.js';
import { shown } from '../../../collectors/offline/shown.js';

// The pure parts of reading an input: link resolution inside a root, which
// archive names are paths at all, and which files are worth keeping.

function resolver(nodes: Record<string, TreeNode>) {
  const warnings: string[] = [];
  const resolve = (rel: string) =>
    resolveIn(rel, {
      lstat: async (p) => (p === '' ? { kind: 'dir' } : nodes[p]),
      hops: 40,
      root: 'archive',
      warn: (l) => warnings.push(l),
      show: (p) => p,
    });
  return { resolve, warnings };
}

const dir: TreeNode = { kind: 'dir' };
const file: TreeNode = { kind: 'file' };
const link = (target: string): TreeNode => ({ kind: 'link', target });

describe('resolveIn', () => {
  it('follows relative links inside the root, through directories and chains', async () => {
    const { resolve, warnings } = resolver({
      proc: dir,
      'proc/4242': dir,
      'proc/4242/net': dir,
      'proc/4242/net/dev': file,
      'proc/self': link('4242'),
      'proc/net': link('self/net'),
      up: link('proc/./self/../net/dev'),
    });
    expect((await resolve('proc/net/dev'))?.path).toBe('proc/4242/net/dev');
    expect((await resolve('up'))?.path).toBe('proc/4242/net/dev');
    expect(await resolve('proc/net/snmp')).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('refuses absolute links, links that climb out, loops, and files used as directories', async () => {
    const { resolve, warnings } = resolver({
      a: dir,
      'a/abs': link('/etc/passwd'),
      'a/out': link('../../etc/passwd'),
      'a/loop': link('loop'),
      'a/f': file,
    });
    expect(await resolve('a/abs')).toBeUndefined();
    expect(await resolve('a/out')).toBeUndefined();
    expect(await resolve('a/loop')).toBeUndefined();
    expect(await resolve('a/f/x')).toBeUndefined();
    expect(warnings).toEqual([
      'a/abs: a link to "/etc/passwd" is absolute, outside the archive: ignored',
      'a/out: a link to "../../etc/passwd" leads out of the archive: ignored',
      'a/loop: a link to "loop" is one of more than 40 links in a row (a loop?): ignored',
    ]);
  });
});

describe('archivePath', () => {
  it('normalises ./ and //, refuses absolute names, .. segments and NUL', () => {
    expect(archivePath('./sos/./proc//net/dev')).toBe('sos/proc/net/dev');
    expect(archivePath('sos/')).toBe('sos');
    expect(archivePath('/etc/passwd')).toBeUndefined();
    expect(archivePath('sos/../../x')).toBeUndefined();
    expect(archivePath('a\0b')).toBeUndefined();
  });
});

describe('evidenceFileName', () => {
  it('keeps files named like a layout path, wherever they are; nothing else', () => {
    const wanted = evidenceFileName();
    for (const p of [
      'proc/4242/net/softnet_stat',
      'x/sos_commands/networking/ethtool_-S_eth0',
      'b/hosts/h/raw/ethtool/eth0/ethtool-S.txt',
      'hosts/h/after/snapshot.json',
      'sos_commands/host/hostname',
    ])
      expect(wanted(p), p).toBe(true);
    for (const p of ['var/log/messages', 'sos_commands/networking/ethtool_-S_', 'big.iso'])
      expect(wanted(p), p).toBe(false);
  });
});

describe('matchingPaths', () => {
  it('expands {iface} from one directory listing, sorted', async () => {
    const listed: string[] = [];
    const tree = {
      show: (p: string) => p,
      kind: async () => undefined,
      read: async () => undefined,
      mtime: async () => undefined,
      list: async (p: string) => {
        listed.push(p);
        return ['ethtool_-S_eth1', 'ethtool_-S_eth0', 'ethtool_-g_eth0', 'ethtool_-S_'];
      },
    };
    expect(await matchingPaths(tree, 'r', 'sos_commands/networking/ethtool_-S_{iface}')).toEqual([
      'sos_commands/networking/ethtool_-S_eth0',
      'sos_commands/networking/ethtool_-S_eth1',
    ]);
    expect(listed).toEqual(['r/sos_commands/networking']);
    expect(await matchingPaths(tree, '', 'proc/net/dev')).toEqual(['proc/net/dev']);
  });
});

describe('shown', () => {
  it('leaves plain names alone and escapes anything a terminal would act on', () => {
    expect(shown('sos/proc/net/dev')).toBe('sos/proc/net/dev');
    expect(shown('a\u001b[2Jb')).toBe('"a\\u001b[2Jb"');
    expect(shown('x\u202ey\u009b')).toBe('"x\\u202ey\\u009b"');
  });
});
