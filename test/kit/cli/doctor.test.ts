import { describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';
import { canRunLab } from '../../lab-available.js';
import { TEST_LAB } from '../../lab-helpers.js';

describe.skipIf(!canRunLab())('repro doctor / collect doctor on the lab', () => {
  it('repro doctor --pair vmA vmB --json reports both hosts healthy', async () => {
    const r = await cli('repro', ['doctor', '--pair', 'vmA', 'vmB', '--json']);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.hosts.map((h: { host: string }) => h.host)).toEqual(['vmA', 'vmB']);
    for (const h of report.hosts) {
      const byId = Object.fromEntries(
        h.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
      );
      expect(byId).toMatchObject({
        connection: 'ok',
        privilege: 'ok',
        system: 'ok',
        tools: 'ok',
        counters: 'ok',
        clock: 'ok',
        addresses: 'ok',
      });
      expect(h.facts.tools.iperf3).toMatch(/iperf 3/);
      expect(h.facts.addresses[0].cidr).toMatch(/^198\.1[89]\./);
      // Same kernel, same clock: the offset is within its own error bound plus a little.
      expect(Math.abs(h.clock.offsetMs)).toBeLessThan(h.clock.errorMs + 50);
    }
  });

  it('prints a readable table with a verdict', async () => {
    const r = await cli('repro', ['doctor', '--pair', 'vmA', 'vmB']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^HOST\s+CHECK\s+STAT\s+DETAIL/);
    expect(r.stdout).toContain('ready for a reproduction: vmA, vmB');
  });

  it('reports an unreachable host with its name and a connection exit code', async () => {
    const bad = `root@198.18.${TEST_LAB.octet}.98`;
    const r = await cli('collect', [
      'doctor',
      '--node',
      'vmA',
      '--node',
      bad,
      '--connect-timeout',
      '2',
    ]);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toContain(`${bad}  connection  FAIL`);
    expect(r.stdout).toContain(`NOT READY for a bundle: ${bad}`);
  });

  it('an unknown alias is a usage-style error naming the alias', async () => {
    const r = await cli('collect', ['doctor', '--node', 'nosuch-alias-x', '--json']);
    expect(r.exitCode).toBe(5);
    expect(JSON.parse(r.stdout).hosts[0].error.code).toBe('UNKNOWN_HOST_ALIAS');
  });

  it('--pair needs exactly two hosts', async () => {
    const r = await cli('repro', ['doctor', '--pair', 'vmA']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('exactly two hosts');
  });
});

describe('CLI basics', () => {
  it('--version and --help with examples on every command', async () => {
    const v = await cli('repro', ['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [bin, cmd] of [
      ['repro', ['doctor']],
      ['repro', ['lab', 'up']],
      ['repro', ['lab', 'impair']],
      ['collect', ['doctor']],
    ] as const) {
      const h = await cli(bin, [...cmd, '--help']);
      expect(h.exitCode).toBe(0);
      expect(h.stdout).toContain('Examples:');
    }
  });
});
