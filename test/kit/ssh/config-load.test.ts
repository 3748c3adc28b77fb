import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigFileSystem, loadSshConfig, resolveHost } from '../../../kit/ssh/config.js';

const HOME = '/home/me';
const env = { home: HOME, user: 'me' };

/** In-memory file system: string = contents, Error = unreadable. */
function memoryFs(files: Record<string, string | Error>): ConfigFileSystem {
  return {
    async readFile(file) {
      const entry = files[file];
      if (entry instanceof Error) throw entry;
      return entry;
    },
    async readDir(dir) {
      const prefix = `${dir}/`;
      return Object.keys(files)
        .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'))
        .map((f) => f.slice(prefix.length));
    },
  };
}

async function load(files: Record<string, string | Error>, paths: string[]) {
  return loadSshConfig(paths, { home: HOME, fs: memoryFs(files) });
}

describe('loadSshConfig with Include', () => {
  it('splices included files in place, relative to ~/.ssh, glob sorted, dotfiles skipped', async () => {
    const { configs, warnings } = await load(
      {
        '/home/me/.ssh/config': 'Host db\n  Include conf.d/*.conf\n  User after-include\n',
        '/home/me/.ssh/conf.d/20-b.conf': 'Port 2020\nUser from-b\n',
        '/home/me/.ssh/conf.d/10-a.conf': 'Port 1010\n',
        '/home/me/.ssh/conf.d/.hidden.conf': 'Port 9999\n',
        '/home/me/.ssh/conf.d/readme.txt': 'Port 7777\n',
      },
      ['/home/me/.ssh/config'],
    );
    expect(warnings).toEqual([]);
    const r = resolveHost(configs, 'db', env);
    // 10-a is read before 20-b; both come before the line after the Include.
    expect(r).toMatchObject({ port: 1010, user: 'from-b' });
    // The included lines only apply where the including Host block applies.
    expect(resolveHost(configs, 'other', env).port).toBe(22);
  });

  it('combines Host blocks inside included files with the including block', async () => {
    const { configs } = await load(
      {
        '/home/me/.ssh/config': 'Host *.prod\n  Include ~/.ssh/prod\nHost *\n  Port 1\n',
        '/home/me/.ssh/prod': 'User prod-user\nHost db.*\n  Port 5432\n',
      },
      ['~/.ssh/config'],
    );
    expect(resolveHost(configs, 'db.prod', env)).toMatchObject({ user: 'prod-user', port: 5432 });
    expect(resolveHost(configs, 'web.prod', env)).toMatchObject({ user: 'prod-user', port: 1 });
    // db.test matches "Host db.*" inside the include, but the including block does not apply.
    expect(resolveHost(configs, 'db.test', env)).toMatchObject({ port: 1 });
    expect(resolveHost(configs, 'db.test', env)).not.toHaveProperty('user');
  });

  it('restores the including block after an included file opened its own Host blocks', async () => {
    const { configs } = await load(
      {
        '/home/me/.ssh/config': 'Host a\n  Include extra\n  User still-a\n',
        '/home/me/.ssh/extra': 'Host zzz\n  Port 9\n',
      },
      ['/home/me/.ssh/config'],
    );
    expect(resolveHost(configs, 'a', env)).toMatchObject({ user: 'still-a', port: 22 });
  });

  it('anchors relative includes of the system file at its directory, after user files', async () => {
    const { configs, warnings } = await loadSshConfig(['/home/me/.ssh/config'], {
      home: HOME,
      systemConfig: '/etc/ssh/ssh_config',
      fs: memoryFs({
        '/home/me/.ssh/config': 'Host x\n  User mine\n',
        '/etc/ssh/ssh_config': 'Include ssh_config.d/*.conf\nUser system\n',
        '/etc/ssh/ssh_config.d/50-site.conf': 'Port 2200\n',
      }),
    });
    expect(warnings).toEqual([]);
    expect(resolveHost(configs, 'x', env)).toMatchObject({ port: 2200, user: 'mine' });
    expect(resolveHost(configs, 'y', env)).toMatchObject({ port: 2200, user: 'system' });
  });

  it('anchors relative includes of user files at ~/.ssh, even under /etc/ssh', async () => {
    const { configs } = await load(
      {
        '/etc/ssh/extra_config': 'Include site.conf\n',
        '/home/me/.ssh/site.conf': 'Port 2300\n',
        '/etc/ssh/site.conf': 'Port 9\n',
      },
      ['/etc/ssh/extra_config'],
    );
    expect(resolveHost(configs, 'x', env).port).toBe(2300);
  });

  it('keeps files in precedence order', async () => {
    const { configs } = await load(
      { '/extra.conf': 'User extra\n', '/home/me/.ssh/config': 'User home\nPort 3\n' },
      ['/extra.conf', '/home/me/.ssh/config'],
    );
    expect(resolveHost(configs, 'x', env)).toMatchObject({ user: 'extra', port: 3 });
  });

  it('skips missing files and includes silently', async () => {
    const { configs, warnings } = await load(
      { '/home/me/.ssh/config': 'Include nope nope.d/*\nPort 4\n' },
      ['/missing/config', '/home/me/.ssh/config'],
    );
    expect(warnings).toEqual([]);
    expect(configs).toHaveLength(1);
    expect(resolveHost(configs, 'x', env).port).toBe(4);
  });

  it('warns about unreadable files, include loops and unsupported globs', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const { configs, warnings } = await load(
      {
        '/home/me/.ssh/config': 'Include loop\nInclude secret\nInclude */x\nHost a\n  HostName\n',
        '/home/me/.ssh/loop': 'Include loop\n',
        '/home/me/.ssh/secret': denied,
      },
      ['/home/me/.ssh/config'],
    );
    expect(configs).toHaveLength(1);
    // A file's own parse warnings come first, then what its Includes produced.
    expect(warnings).toEqual([
      '/home/me/.ssh/config:5: no argument after keyword "HostName"',
      '/home/me/.ssh/loop:1: Include "/home/me/.ssh/loop" nested too deeply (loop?)',
      '/home/me/.ssh/secret: cannot read: EACCES: permission denied',
      '/home/me/.ssh/config:3: Include "*/x": wildcards are only supported in the file name',
    ]);
  });

  it('reports parse warnings of included files with their own file name', async () => {
    const { warnings, configs } = await load(
      { '/home/me/.ssh/config': 'Include inc\n', '/home/me/.ssh/inc': '\n\nPort x\n' },
      ['/home/me/.ssh/config'],
    );
    expect(warnings).toEqual(['/home/me/.ssh/inc:3: Port: invalid port "x"']);
    expect(configs[0]?.warnings).toEqual(warnings);
  });
});

describe('loadSshConfig on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropkit-sshcfg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads real files, expands absolute globs and warns when a path is unreadable', async () => {
    await mkdir(path.join(dir, 'inc.d'));
    await mkdir(path.join(dir, 'a-directory'));
    await writeFile(path.join(dir, 'config'), `Include ${dir}/inc.d/*\nHost box\n  Port 2\n`);
    await writeFile(path.join(dir, 'inc.d', 'one'), 'Host box\n  User one\n');
    const { configs, warnings } = await loadSshConfig(
      [path.join(dir, 'config'), path.join(dir, 'absent'), path.join(dir, 'a-directory')],
      { home: dir },
    );
    expect(configs).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/a-directory: cannot read: .*EISDIR/)]);
    expect(resolveHost(configs, 'box', { home: dir, user: 'me' })).toMatchObject({
      user: 'one',
      port: 2,
    });
  });
});
