import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { clientArgv, phaseTrafficArgs, serverArgv } from '../../repro/iperf3-args.js';
import { parseIperf3Result } from '../../repro/iperf3-result.js';
import { applyOverrides, listProfiles, loadProfile, parseProfile } from '../../repro/profile.js';
import { iperf3Available, loopbackRun } from './iperf3-loopback.js';

const hasIperf3 = await iperf3Available();

describe('serverArgv', () => {
  it('a one-off JSON server', () => {
    expect(serverArgv({ port: 5201 })).toEqual(['iperf3', '-s', '-1', '-J', '-p', '5201']);
    expect(
      serverArgv({
        port: 5202,
        bindAddress: '198.18.0.2',
        idleTimeoutS: 60,
        program: '/opt/iperf3',
      }),
    ).toEqual([
      '/opt/iperf3',
      '-s',
      '-1',
      '-J',
      '-p',
      '5202',
      '-B',
      '198.18.0.2',
      '--idle-timeout',
      '60',
    ]);
    expect(serverArgv({ port: 5201, oneOff: false, json: false })).toEqual([
      'iperf3',
      '-s',
      '-p',
      '5201',
    ]);
  });

  it('refuses a bad port or an address that reads as a flag', () => {
    expect(() => serverArgv({ port: 0 })).toThrow(/port/);
    expect(() => serverArgv({ port: 70000 })).toThrow(/port/);
    expect(() => serverArgv({ port: 5201, bindAddress: '--logfile=/x' })).toThrow(/not a host/);
  });
});

describe('clientArgv', () => {
  it('the microburst phase', async () => {
    const phase = (await loadProfile('microburst')).phases[0]!;
    expect(clientArgv(phase, { serverAddress: '198.18.0.2', port: 5201 })).toEqual([
      'iperf3',
      '-c',
      '198.18.0.2',
      '-p',
      '5201',
      '-J',
      '--get-server-output',
      '-u',
      '-b',
      '1G/32',
      '-P',
      '4',
      '-l',
      '1400',
      '-w',
      '4M',
      '-A',
      '0,0',
      '-t',
      '10',
    ]);
    expect(clientArgv(phase, { serverAddress: '::1', port: 5201, duration: 2 }).slice(-2)).toEqual([
      '-t',
      '2',
    ]);
  });

  it('every field', () => {
    const p = parseProfile(
      [
        'name: all',
        'phases:',
        '  - name: a',
        '    protocol: tcp',
        '    streams: 2',
        '    bitrate: 500M',
        '    length: 65536',
        '    duration: 3',
        '    reverse: true',
        '    window: 4M',
        "    extraArgs: ['-C', 'cubic', '-N']",
      ].join('\n'),
      'all.yaml',
    ).phases[0]!;
    expect(phaseTrafficArgs(p)).toEqual([
      '-b',
      '500M',
      '-P',
      '2',
      '-l',
      '65536',
      '-R',
      '-w',
      '4M',
      '-C',
      'cubic',
      '-N',
    ]);
    expect(
      clientArgv(p, {
        serverAddress: 'vmB',
        port: 5999,
        json: false,
        getServerOutput: false,
        bindAddress: '198.18.0.1',
        interval: 0.5,
        connectTimeoutMs: 3000,
      }),
    ).toEqual([
      'iperf3',
      '-c',
      'vmB',
      '-p',
      '5999',
      '-B',
      '198.18.0.1',
      '--connect-timeout',
      '3000',
      '-i',
      '0.5',
      ...phaseTrafficArgs(p),
      '-t',
      '3',
    ]);
    expect(() => clientArgv(p, { serverAddress: '-R', port: 5201 })).toThrow(/not a host/);
    expect(() => clientArgv(p, { serverAddress: 'x', port: 5201, duration: 0 })).toThrow(
      /duration/,
    );
  });

  it.skipIf(!hasIperf3)('uses only flags that iperf3 --help lists', async () => {
    const help = (await execa('iperf3', ['--help'], { reject: false })).stdout;
    const used = new Set<string>();
    for (const { name } of await listProfiles()) {
      for (const phase of (await loadProfile(name)).phases) {
        for (const a of clientArgv(phase, { serverAddress: '127.0.0.1', port: 5201 })) {
          if (a.startsWith('-')) used.add(a);
        }
      }
    }
    for (const a of serverArgv({ port: 5201, bindAddress: '127.0.0.1', idleTimeoutS: 5 })) {
      if (a.startsWith('-')) used.add(a);
    }
    for (const flag of used)
      expect(help, flag).toMatch(new RegExp(`(^|[ ,])${flag}([ ,=]|$)`, 'm'));
    expect(help).toMatch(/-b, --bitrate #\[KMG\]\[\/#\]/);
  });

  // Each built-in for 1 s on 127.0.0.1: iperf3 3.12 accepts the arguments.
  it.skipIf(!hasIperf3)('iperf3 runs every built-in (1 s, 127.0.0.1)', async () => {
    for (const { name } of await listProfiles()) {
      const profile = applyOverrides(await loadProfile(name), { duration: 1 });
      for (const phase of profile.phases) {
        const { client } = await loopbackRun([...phaseTrafficArgs(phase), '-t', '1']);
        const r = parseIperf3Result(client);
        expect(r.value.error, name).toBeUndefined();
        expect(r.value.complete, name).toBe(true);
        expect(r.value.protocol).toBe(phase.protocol);
        expect(r.value.bidir).toBe(phase.bidir);
      }
    }
  });
});
