import { describe, expect, it } from 'vitest';
import { cli } from '../../cli-helpers.js';

describe('--local commands', () => {
  it('collect snapshot --local --json: this machine in the analyze schema', async () => {
    const r = await cli('collect', ['snapshot', '--local', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('dropkit.analyze/1');
    const h = j.hosts[0];
    expect(h.interfaces.find((i: { name: string }) => i.name === 'lo').kind).toBe('loopback');
    expect(h.softnet.length).toBe(h.cpus);
    expect(typeof h.softnet[0].processed).toBe('number');
  });

  it('collect snapshot --local prints the tables', async () => {
    const r = await cli('collect', ['snapshot', '--local']);
    expect(r.stdout).toMatch(/^IFACE\s+DRIVER\s+KIND\s+RX_PACKETS/m);
    expect(r.stdout).toMatch(/^CPU\s+PROCESSED\s+DROPPED\s+TIME_SQUEEZE/m);
  });

  it('collect doctor --local --json', async () => {
    const r = await cli('collect', ['doctor', '--local', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.hosts[0].host).toBe('local');
    expect(j.hosts[0].checks.find((c: { id: string }) => c.id === 'connection').detail).toBe(
      'local',
    );
    expect(j.hosts[0].checks.find((c: { id: string }) => c.id === 'counters').status).toBe('ok');
  });

  it('snapshot needs exactly one of --node and --local', async () => {
    const r = await cli('collect', ['snapshot']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --node HOST or --local/);
  });
});
