import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreScript } from '../../../repro/mitigations/host-script.js';
import {
  type LocalRecord,
  localRecords,
  removeLocalRecord,
  stateDir,
  writeLocalRecord,
} from '../../../repro/mitigations/local-record.js';

// The operator's copy of what a comparison changed on a host, in
// DROPKIT_STATE_DIR (a temp dir here): written private, read back as
// strictly as anything a host sends, since `repro restore` turns it into a
// root script.

let base: string;
let state: string;
const saved = {
  DROPKIT_STATE_DIR: process.env['DROPKIT_STATE_DIR'],
  XDG_STATE_HOME: process.env['XDG_STATE_HOME'],
};

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'dropkit-local-record-'));
  // Not there yet: written records create it.
  state = join(base, 'state');
  process.env['DROPKIT_STATE_DIR'] = state;
});

afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(base, { recursive: true, force: true });
});

function record(over: Partial<LocalRecord> = {}): LocalRecord {
  return {
    schema: 'dropkit.restore/1',
    runId: '0123456789ab',
    createdAt: '2026-12-07T06:00:00.000Z',
    host: 'vmB',
    netns: 'net:[4026532241]',
    script: '/run/dropkit/restore/0123456789ab-4026532241.sh',
    originals: [
      {
        label: 'net.core.netdev_max_backlog',
        target: { kind: 'file', path: '/proc/sys/net/core/netdev_max_backlog', ns: 2 },
        value: '10',
      },
      {
        label: 'eth0 rx-0 rps_cpus',
        target: { kind: 'file', path: '/sys/class/net/eth0/queues/rx-0/rps_cpus' },
        value: '00000000,00000002',
      },
      { label: 'eth0 rx ring', target: { kind: 'ring', iface: 'eth0' }, value: '1024' },
    ],
    ...over,
  };
}

// A record file as someone other than dropkit wrote it.
async function plant(name: string, r: unknown): Promise<void> {
  await mkdir(join(state, 'restore'), { recursive: true });
  await writeFile(join(state, 'restore', name), typeof r === 'string' ? r : JSON.stringify(r));
}

describe('stateDir', () => {
  it('is DROPKIT_STATE_DIR, else $XDG_STATE_HOME/dropkit', () => {
    expect(stateDir()).toBe(state);
    delete process.env['DROPKIT_STATE_DIR'];
    process.env['XDG_STATE_HOME'] = join(base, 'xdg');
    expect(stateDir()).toBe(join(base, 'xdg', 'dropkit'));
  });
});

describe('write, read, remove', () => {
  it('writes one private file per run, host and netns, and reads it back as written', async () => {
    const r = record();
    const file = await writeLocalRecord(r);
    expect(file).toBe(join(state, 'restore', '0123456789ab-4026532241-vmB.json'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(state, 'restore'))).mode & 0o777).toBe(0o700);
    expect((await stat(state)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(r);
    expect(await localRecords(['vmB'])).toEqual([r]);
  });

  it('returns only the records of the hosts asked for', async () => {
    const a = record({ host: 'vmA', netns: 'net:[4026532240]' });
    const b = record();
    await writeLocalRecord(a);
    await writeLocalRecord(b);
    expect(await localRecords(['vmB'])).toEqual([b]);
    expect(await localRecords(['vmA', 'vmB'])).toEqual([a, b]);
    expect(await localRecords(['vmC'])).toEqual([]);
  });

  it('names the file after a safe form of the host', async () => {
    const r = record({ host: 'azureuser@10.0.0.5:22/../x' });
    const file = await writeLocalRecord(r);
    expect(file).toBe(
      join(state, 'restore', '0123456789ab-4026532241-azureuser_10.0.0.5_22_.._x.json'),
    );
    expect(await localRecords(['azureuser@10.0.0.5:22/../x'])).toEqual([r]);
  });

  it('removes the record; removing it again, or with no dir at all, is fine', async () => {
    const r = record();
    await writeLocalRecord(r);
    await removeLocalRecord(r);
    expect(await readdir(join(state, 'restore'))).toEqual([]);
    await removeLocalRecord(r);
    await rm(state, { recursive: true });
    await removeLocalRecord(r);
    expect(await localRecords(['vmB'])).toEqual([]);
  });
});

describe('a record that was tampered with is ignored', () => {
  const bad: Array<[string, unknown]> = [
    [
      'a sysctl path outside /proc/sys/net/core',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/proc/sys/kernel/core_pattern' },
            value: '1',
          },
        ],
      }),
    ],
    [
      'a path climbing out of /proc/sys/net/core',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/proc/sys/net/core/../../kernel/modprobe' },
            value: '1',
          },
        ],
      }),
    ],
    [
      'a file that is not rps_cpus',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/sys/class/net/eth0/queues/rx-0/xps_cpus' },
            value: '1',
          },
        ],
      }),
    ],
    [
      '/etc/passwd',
      record({
        originals: [{ label: 'x', target: { kind: 'file', path: '/etc/passwd' }, value: '1' }],
      }),
    ],
    [
      'a value with ;',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/proc/sys/net/core/rmem_max' },
            value: '212992; rm -rf /',
          },
        ],
      }),
    ],
    [
      'a mask with letters beyond f',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/sys/class/net/eth0/queues/rx-0/rps_cpus' },
            value: '0g',
          },
        ],
      }),
    ],
    [
      'an interface with a space',
      record({
        originals: [{ label: 'x', target: { kind: 'ring', iface: 'eth0 rx' }, value: '1' }],
      }),
    ],
    [
      'another namespace than 1 or 2',
      record({
        originals: [
          {
            label: 'x',
            target: { kind: 'file', path: '/proc/sys/net/core/rmem_max', ns: 3 as 1 },
            value: '1',
          },
        ],
      }),
    ],
    ['a run id that is not hex', record({ runId: '$(reboot)' })],
    ['a netns that is not net:[N]', record({ netns: "net:[1]'; reboot; '" })],
    ['another schema', { ...record(), schema: 'dropkit.restore/2' }],
    ['no originals', { ...record(), originals: 'none' }],
    ['not JSON', '{"schema": "dropkit.restore/1",'],
  ];

  it.each(bad)('%s', async (_what, r) => {
    await plant('0123456789ab-4026532241-vmB.json', r);
    expect(await localRecords(['vmB'])).toEqual([]);
  });

  it('is skipped, and the good records next to it are still read', async () => {
    const good = record({ netns: 'net:[4026532242]' });
    await writeLocalRecord(good);
    await plant('0123456789ab-4026532241-vmB.json', bad[0]![1]);
    await plant('notes.txt', 'not a record');
    expect(await localRecords(['vmB'])).toEqual([good]);
  });

  // createdAt goes into a comment line of the root restore script that
  // `repro restore` runs from the record: a newline in it would start a command.
  it('a createdAt with a newline (it would become a line of the root restore script)', async () => {
    const r = record({ createdAt: '2026-12-07\ntouch /tmp/dropkit-pwned\n#' });
    await plant('0123456789ab-4026532241-vmB.json', r);
    const read = await localRecords(['vmB']);
    // What `repro restore` would run as root from this record:
    const scripts = read.map((x) =>
      restoreScript({
        runId: x.runId,
        netns: x.netns,
        generator: 'dropkit',
        createdAt: x.createdAt,
        originals: x.originals,
      }),
    );
    expect(scripts.filter((s) => s.split('\n').includes('touch /tmp/dropkit-pwned'))).toEqual([]);
    expect(read).toEqual([]);
  });
});
