import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kernelLogCollector,
  kernelLogScript,
  MAX_LINES,
  parseKernelLog,
} from '../../collectors/kernel-log.js';
import {
  DATAPATH_PATTERNS,
  ifacesOf,
  isDatapathMessage,
  kindOf,
  splitStamp,
} from '../../collectors/kernel-log-lines.js';
import { buildSnapshot } from '../../collectors/snapshot/build.js';
import { parseFrames, parseStderrFrames, stderrKey } from '../../collectors/snapshot/frames.js';
import { buildSnapshotScript, newBoundary } from '../../collectors/snapshot/script.js';
import { failureReason } from '../../collectors/snapshot/source-status.js';

// A kernel log of an Azure VM with accelerated networking through host servicing: the VF goes
// away and comes back under another PCI domain, with an mlx5 health event in between, among
// lines that have nothing to do with the datapath. The lines are composed, not captured: each
// follows the format string of the kernel source it cites, with the prefix printk gives it
// (netdev_printk: `<driver> <device> <netdev>: `; dev_printk: `<driver> <device>: `;
// mlx5_core_err adds `<function>:<line>:(pid <pid>): `). The same shapes appear in real logs
// posted publicly, e.g. github.com/vyos/vyos-1x pull 5338 (mana: `hv_netvsc <guid> e2: VF
// registering: eth0`, `mana 7870:00:00.0 eth0: joined to e2`) and the redactor's corpus
// (test/bundles/redact/corpus.ts, DMESG).
const LOG = [
  '[    0.000000] Linux version 5.15.0-1064-azure (buildd@lcy02-amd64-034) #73-Ubuntu SMP',
  // drivers/hv/vmbus_drv.c: pr_info("registering driver %s\n", ...) under pr_fmt "hv_vmbus: ".
  '[    1.234567] hv_vmbus: registering driver hv_netvsc',
  // drivers/net/hyperv/netvsc.c netvsc_send_vf(): netdev_info(ndev, "VF slot %u %s\n",
  //   net_device_ctx->vf_serial, net_device_ctx->vf_alloc ? "added" : "removed");
  '[    2.345678] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF slot 1 added',
  '[    3.456789] mlx5_core 7870:00:02.0: firmware version: 14.30.1224',
  // drivers/net/hyperv/netvsc_drv.c netvsc_register_vf():
  //   netdev_info(ndev, "VF registering: %s\n", vf_netdev->name);
  '[    4.678901] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF registering: enP30832s1',
  // netvsc_vf_join(): netdev_info(vf_netdev, "joined to %s\n", ndev->name);
  '[    4.679100] mlx5_core 7870:00:02.0 enP30832s1: joined to eth0',
  // en_main.c mlx5e_update_carrier(): netdev_info(priv->netdev, "Link up\n");
  '[    4.789012] mlx5_core 7870:00:02.0 enP30832s1: Link up',
  // netvsc_vf_changed(): netdev_info(ndev, "Data path switched %s VF: %s\n",
  //   vf_is_up ? "to" : "from", vf_netdev->name);
  '[    5.890123] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path switched to VF: enP30832s1',
  '[    6.901234] docker0: port 1(veth3c1d2e4) entered forwarding state',
  '[    7.000000] EXT4-fs (sda1): re-mounted. Opts: discard,errors=remount-ro',
  // health.c poll_health(): mlx5_core_err(dev, "device's health compromised - reached miss count\n");
  "[ 3601.100000] mlx5_core 7870:00:02.0: poll_health:800:(pid 0): device's health compromised - reached miss count",
  // print_health_info(): mlx5_core_err(dev, "synd 0x%x: %s\n", ...);
  '[ 3601.100100] mlx5_core 7870:00:02.0: print_health_info:430:(pid 0): synd 0x1: firmware internal error',
  '[ 3601.200000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path switched from VF: enP30832s1',
  // netvsc_unregister_vf(): netdev_info(ndev, "VF unregistering: %s\n", vf_netdev->name);
  '[ 3601.300000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF unregistering: enP30832s1',
  '[ 3601.310000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF slot 1 removed',
  '[ 3640.000000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: VF slot 2 added',
  // drivers/pci/controller/pci-hyperv.c: dev_info(&hdev->device, "PCI VMBus probing: Using version %#x\n", ...)
  '[ 3640.100000] hv_pci 5d0b7d8b-7872-4b8a-a15c-dd2f1bd1a6a5: PCI VMBus probing: Using version 0x10004',
  // netvsc_vf_changed() when netvsc_switch_datapath() fails:
  //   netdev_err(ndev, "Data path failed to switch %s VF: %s, err: %d\n", ...);
  '[ 3641.000000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path failed to switch to VF: enP30833s1, err: -110',
  '[ 3641.500000] hv_netvsc 000d3a12-3456-000d-3a12-3456000d3a12 eth0: Data path switched to VF: enP30833s1',
  // net/sched/sch_generic.c dev_watchdog(): "NETDEV WATCHDOG: %s (%s): transmit queue %u timed out %u ms\n"
  '[ 3700.000000] NETDEV WATCHDOG: eth0 (hv_netvsc): transmit queue 3 timed out 5120 ms',
  // net/ipv6/addrconf.c: "%s: link becomes ready\n" under pr_fmt "IPv6: ".
  '[ 3701.000000] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
  // drivers/net/ethernet/microsoft/mana/hw_channel.c: dev_err(hwc->dev, "HWC: Request timed out!\n");
  '[ 3702.000000] mana 7870:00:00.0: HWC: Request timed out!',
  '[ 3800.000000] usb 1-1: new high-speed USB device number 2 using ehci-pci',
].join('\n');

const KEPT = LOG.split('\n').filter((l) => isDatapathMessage(splitStamp(l).message));

describe('which kernel log lines are about the datapath', () => {
  it('keeps the VF, datapath, health, link and watchdog lines, and nothing else', () => {
    expect(KEPT).toHaveLength(19);
    expect(KEPT.some((l) => /Linux version|docker0|EXT4|usb 1-1/.test(l))).toBe(false);
  });

  it('says what each line is, the interface that logged it and the VF it names', () => {
    const parsed = KEPT.map((l) => {
      const { message } = splitStamp(l);
      return [kindOf(message), ifacesOf(message)];
    });
    expect(parsed).toEqual([
      // hv_vmbus registering its driver, mlx5's firmware: context.
      ['driver', {}],
      ['vf-added', { iface: 'eth0' }],
      ['driver', {}],
      ['vf-registering', { iface: 'eth0', vf: 'enP30832s1' }],
      ['driver', { iface: 'enP30832s1' }],
      ['link-up', { iface: 'enP30832s1' }],
      ['datapath-to-vf', { iface: 'eth0', vf: 'enP30832s1' }],
      ['health', {}],
      ['health', {}],
      ['datapath-from-vf', { iface: 'eth0', vf: 'enP30832s1' }],
      ['vf-unregistering', { iface: 'eth0', vf: 'enP30832s1' }],
      ['vf-removed', { iface: 'eth0' }],
      ['vf-added', { iface: 'eth0' }],
      ['driver', {}],
      ['datapath-switch-failed', { iface: 'eth0', vf: 'enP30833s1' }],
      ['datapath-to-vf', { iface: 'eth0', vf: 'enP30833s1' }],
      ['tx-timeout', {}],
      ['link-up', {}],
      ['error', {}],
    ]);
  });

  it('reads the stamp after a priority and a caller id, and lines without one', () => {
    expect(splitStamp('<6>[   12.5][  T123] hv_netvsc x eth0: VF slot 1 added')).toEqual({
      uptimeSec: 12.5,
      message: 'hv_netvsc x eth0: VF slot 1 added',
    });
    expect(splitStamp('hv_netvsc x eth0: VF slot 1 added')).toEqual({
      message: 'hv_netvsc x eth0: VF slot 1 added',
    });
    // A name the kernel would refuse is not an interface.
    expect(ifacesOf('hv_netvsc x eth0: VF registering: ../../etc')).toEqual({ iface: 'eth0' });
    expect(ifacesOf('hv_netvsc x __proto__: VF registering: a')).toEqual({
      iface: '__proto__',
      vf: 'a',
    });
  });

  it('has patterns awk and JavaScript read alike, safe in an awk literal and a quoted program', () => {
    for (const p of DATAPATH_PATTERNS) expect(p).not.toMatch(/[/'\\]/);
  });
});

describe('parsing the collected section', () => {
  it('puts every line on the host clock from the uptime and the clock read together', () => {
    // Booted at 1796610000.000 s on the host's clock: realtime 1796613800.5, uptime 3800.50.
    const text = `# clock uptime=3800.50 realtime=1796613801,000000\n${KEPT.join('\n')}\n`;
    const { value, warnings } = parseKernelLog(text);
    expect(warnings).toEqual([]);
    expect(value.bootMs).toBe(1796610000500);
    expect(value.matched).toBe(KEPT.length);
    const from = value.lines.find((l) => l.kind === 'datapath-from-vf')!;
    expect(from).toEqual({
      uptimeSec: 3601.2,
      time: new Date(1796610000500 + 3601200).toISOString(),
      kind: 'datapath-from-vf',
      iface: 'eth0',
      vf: 'enP30832s1',
      line: KEPT.find((l) => l.includes('switched from'))!,
    });
  });

  it('keeps lines without a clock, filters an unfiltered log, and reads the cap note', () => {
    const { value, warnings } = parseKernelLog(
      `# clock uptime= realtime=\n# dropkit: kept the last 500 of 812 matching lines\n${LOG}\ngarbage \u0000\u00ff\n`,
    );
    expect(warnings).toHaveLength(1);
    expect(value.bootMs).toBeUndefined();
    expect(value.matched).toBe(812);
    expect(value.lines).toHaveLength(KEPT.length);
    expect(value.lines[0]!.time).toBeUndefined();
    expect(value.lines[0]!.uptimeSec).toBe(1.234567);
  });
});

// The section's script, run by the shells a host may have, against a fake dmesg (and sudo).
let dir: string;
const bins: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-kernel-log-'));
  await writeFile(join(dir, 'log.txt'), `${LOG}\n`);
  const many = Array.from(
    { length: MAX_LINES + 100 },
    (_, i) =>
      `[ ${1000 + i}.000000] mlx5_core 7870:00:02.0 enP30832s1: Link up ${'x'.repeat(i === MAX_LINES + 99 ? 900 : 1)}`,
  );
  await writeFile(join(dir, 'many.txt'), `${many.join('\n')}\n`);
  const tool = async (set: string, name: string, body: string) => {
    await mkdir(join(dir, set), { recursive: true });
    await writeFile(join(dir, set, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, set, name), 0o755);
  };
  const base = async (set: string) => {
    await mkdir(join(dir, set), { recursive: true });
    for (const t of ['awk', 'date']) await symlink(`/usr/bin/${t}`, join(dir, set, t));
    bins[set] = join(dir, set);
  };
  // The ring buffer readable, as root or with dmesg_restrict=0.
  await base('ok');
  await tool('ok', 'dmesg', `[ "$#" = 0 ] || exit 9; /bin/cat '${join(dir, 'log.txt')}'`);
  await base('many');
  await tool('many', 'dmesg', `/bin/cat '${join(dir, 'many.txt')}'`);
  // dmesg_restrict=1, not root, and sudo wants a password.
  await base('restricted');
  await tool(
    'restricted',
    'dmesg',
    "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1",
  );
  await tool('restricted', 'sudo', "echo 'sudo: a password is required' >&2; exit 1");
  // dmesg_restrict=1 and sudo -n allowed.
  await base('sudo');
  await tool(
    'sudo',
    'dmesg',
    "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1",
  );
  await tool('sudo', 'sudo', `[ "$1 $2" = "-n dmesg" ] && /bin/cat '${join(dir, 'log.txt')}'`);
  // No dmesg at all.
  await base('missing');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runScript(shell: readonly string[], set: string) {
  return execa(shell[0]!, [...shell.slice(1), '-c', kernelLogScript()], {
    env: { PATH: bins[set]! },
    reject: false,
    stripFinalNewline: false,
  });
}

const section = (r: { stdout: string; stderr: string; exitCode?: number }) => ({
  id: 'kernel_log',
  stdout: Buffer.from(r.stdout),
  stderr: r.stderr,
  exitCode: r.exitCode ?? null,
  truncated: false,
});

for (const [label, shell] of [
  ['bash', ['/bin/bash']],
  ['dash', ['/usr/bin/dash']],
  ['busybox sh', ['/usr/bin/busybox', 'sh']],
] as const) {
  describe(`the host-side filter under ${label}`, () => {
    it('keeps the same lines as the parser, after a clock reading', async () => {
      const r = await runScript(shell, 'ok');
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const [clock, ...lines] = r.stdout.trimEnd().split('\n');
      expect(clock).toMatch(/^# clock uptime=\d+\.\d+ realtime=\d{10}[.,]\d+$/);
      expect(lines).toEqual(KEPT);
      const { value } = parseKernelLog(r.stdout);
      expect(value.bootMs).toBeGreaterThan(0);
      expect(value.lines.map((l) => l.line)).toEqual(KEPT);
    });

    it('keeps the last 500 lines, each cut at 512 bytes, and says how many matched', async () => {
      const r = await runScript(shell, 'many');
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[1]).toBe(
        `# dropkit: kept the last ${MAX_LINES} of ${MAX_LINES + 100} matching lines`,
      );
      expect(lines).toHaveLength(2 + MAX_LINES);
      expect(lines[2]).toMatch(/^\[ 1100\.000000\]/);
      expect(lines.at(-1)).toHaveLength(512);
      expect(parseKernelLog(r.stdout).value.matched).toBe(MAX_LINES + 100);
    });

    it('falls back to sudo -n when dmesg_restrict is on', async () => {
      const r = await runScript(shell, 'sudo');
      expect(r.exitCode).toBe(0);
      expect(parseKernelLog(r.stdout).value.lines).toHaveLength(KEPT.length);
    });

    it('is not collected, with dmesg own words, when that is refused too', async () => {
      const r = await runScript(shell, 'restricted');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/read kernel buffer failed/);
      expect(failureReason(section(r), 5, kernelLogCollector.explain)).toBe(
        'permission denied: kernel.dmesg_restrict is on and sudo -n dmesg was refused',
      );
    });

    it('is not collected when dmesg is missing: tool missing', async () => {
      const r = await runScript(shell, 'missing');
      expect(r.exitCode).toBe(127);
      expect(failureReason(section(r), 5, kernelLogCollector.explain)).toBe('tool missing');
    });
  });
}

describe('in a snapshot', () => {
  it("reads this machine's ring buffer without clearing it, into snapshot.kernelLog", async () => {
    const b = newBoundary();
    const r = await execa('sh', ['-s'], {
      input: buildSnapshotScript([kernelLogCollector], b),
      encoding: 'buffer',
      stripFinalNewline: false,
    });
    const { sections } = parseFrames(Buffer.from(r.stdout), b);
    const errs = parseStderrFrames(Buffer.from(r.stderr).toString(), b);
    for (const s of sections) s.stderr = errs.get(stderrKey(s.id, s.iface)) ?? '';
    const { snapshot, raw } = buildSnapshot({
      host: 'h',
      takenAt: new Date().toISOString(),
      durationMs: 1,
      sections,
      specs: [kernelLogCollector],
    });
    expect(raw.map((f) => f.path)).toEqual(['kernel/dmesg-datapath.txt']);
    const source = snapshot.sources[0]!;
    // Whoever runs the tests may not read the ring buffer: then it says why.
    if (!source.ok) {
      expect(source.reason).toMatch(/permission denied|tool missing/);
      return;
    }
    expect(snapshot.kernelLog?.bootMs).toBeGreaterThan(Date.now() - 10 * 365 * 86400e3);
    expect(snapshot.kernelLog!.bootMs!).toBeLessThan(Date.now());
  });
});
