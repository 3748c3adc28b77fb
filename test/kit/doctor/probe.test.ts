import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../kit/doctor/checks.js';
import { offsetFromSamples, parseRemoteDate } from '../../../kit/doctor/clock.js';
import { PROBE_SCRIPT, parseProbe, toolVersion } from '../../../kit/doctor/probe.js';
import { LocalTransport } from '../../../kit/transport/local.js';
import type { ConnectionInfo } from '../../../kit/transport/types.js';

const info: ConnectionInfo = {
  name: 'h',
  address: '198.18.0.11',
  port: 22,
  user: 'azureuser',
  isRoot: false,
  authMethod: 'agent',
  via: [],
  connectMs: 5,
  hostKey: { status: 'known', type: 'ssh-ed25519', fingerprint: 'SHA256:x', file: 'kh' },
};

describe('doctor probe', () => {
  it('runs under dash and busybox sh and parses', async () => {
    for (const shell of ['dash', 'busybox sh']) {
      const { execa } = await import('execa');
      const [cmd, ...args] = shell.split(' ');
      const r = await execa(cmd!, [...args, '-s'], { input: PROBE_SCRIPT });
      const f = parseProbe(r.stdout);
      expect(f.kernel).toMatch(/^\d+\.\d+/);
      expect(f.softnetReadable).toBe(true);
      expect(f.sysfsInterfaces).toBeGreaterThan(0);
      expect(f.tools.ip).toMatch(/iproute2/);
    }
  });

  it('parses what the local machine reports through the transport', async () => {
    const r = await new LocalTransport().exec({ script: PROBE_SCRIPT });
    const f = parseProbe(r.stdout.toString());
    expect(f.uid).toBe(process.getuid?.());
    expect(f.cpus).toBeGreaterThan(0);
  });

  it('tolerates garbage and missing keys', () => {
    const f = parseProbe('garbage\n\tno key\nuid\tnot-a-number\naddr\tbroken\n');
    expect(f.uid).toBeUndefined();
    expect(f.addresses).toEqual([]);
    expect(f.sudo).toBe('unknown');
  });

  it('shortens tool banners to versions', () => {
    expect(toolVersion('iperf 3.12 (cJSON 1.7.15)')).toBe('3.12');
    expect(toolVersion('ip utility, iproute2-6.1.0, libbpf 1.1.0')).toBe('6.1.0');
    expect(toolVersion('ethtool version 6.1')).toBe('6.1');
  });

  it('fails a reproduction without iperf3 but not a bundle, and warns on sudo with password', () => {
    const f = parseProbe(
      'uid\t1000\nuser\tazureuser\nsudo\tpassword\nkernel\t5.15.0\nsoftnet\tok\nsysfs_ifaces\t3\ntool.ip\tip utility, iproute2-5.15.0\ntool.iperf3\t-\naddr\teth0 inet 10.0.0.4/24\n',
    );
    const repro = evaluate(info, f, undefined, 'repro');
    expect(repro.find((c) => c.id === 'tools')?.status).toBe('fail');
    expect(repro.find((c) => c.id === 'tools')?.hint).toContain('iperf3');
    expect(repro.find((c) => c.id === 'privilege')?.status).toBe('warn');
    const bundle = evaluate(info, f, undefined, 'bundle');
    expect(bundle.every((c) => c.status !== 'fail')).toBe(true);
  });

  it('estimates the clock offset from the fastest sample', () => {
    const c = offsetFromSamples(
      [
        { t0: 1000, t1: 1040, remoteMs: 1520 },
        { t0: 2000, t1: 2004, remoteMs: 2502 },
      ],
      'ns',
    );
    expect(c?.offsetMs).toBe(500);
    expect(c?.errorMs).toBe(2);
    expect(parseRemoteDate('1700000000.123456789\n')?.ms).toBeCloseTo(1700000000123.457, 2);
    expect(parseRemoteDate('1700000000.N')?.resolution).toBe('s');
    expect(parseRemoteDate('garbage')).toBeUndefined();
  });
});
