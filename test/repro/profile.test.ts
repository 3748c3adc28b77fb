import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinProfilesDir } from '../../repro/builtin-profiles.js';
import {
  applyOverrides,
  DEFAULT_CAPS,
  listProfiles,
  loadProfile,
  ProfileError,
  parseProfile,
  totalDuration,
} from '../../repro/profile.js';

const REPO = join(import.meta.dirname, '../..');

// Parses and returns the ProfileError it throws.
function errorOf(text: string, caps?: Parameters<typeof parseProfile>[2]): ProfileError {
  try {
    parseProfile(text, 'profile.yaml', caps);
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const GOOD = lines(
  'name: mine',
  'description: a test profile',
  'duration: 5',
  'phases:',
  '  - name: one',
  '    protocol: udp',
  '    streams: 4',
  '    bitrate: 2G',
  '    burst: 64',
  '    length: 1400',
);

describe('built-in profiles', () => {
  it('all load, with the documented parameters', async () => {
    const list = await listProfiles();
    expect(list.map((p) => p.name)).toEqual(['microburst', 'tcp-bidir', 'tcp-incast', 'udp-flood']);
    const micro = await loadProfile('microburst');
    expect(micro.source).toBe('microburst.yaml');
    expect(micro.phases).toEqual([
      {
        name: 'burst',
        protocol: 'udp',
        streams: 4,
        bitrate: '1G',
        bitsPerSecond: 1e9,
        burst: 32,
        length: 1400,
        duration: 10,
        reverse: false,
        bidir: false,
        window: '4M',
        extraArgs: ['-A', '0,0'],
      },
    ]);
    expect((await loadProfile('tcp-incast')).phases[0]).toMatchObject({
      protocol: 'tcp',
      streams: 32,
    });
    expect((await loadProfile('tcp-bidir')).phases[0]).toMatchObject({ bidir: true });
    expect((await loadProfile('udp-flood')).phases[0]).toMatchObject({ bitsPerSecond: 5e9 });
    for (const { name } of list) expect(totalDuration(await loadProfile(name))).toBe(10);
  });

  it('an unknown name lists the built-ins', async () => {
    const e = await loadProfile('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProfileError);
    expect((e as ProfileError).kind).toBe('not-found');
    expect(String(e)).toBe(
      'nope: no built-in profile "nope" (built-in: microburst, tcp-bidir, tcp-incast, udp-flood)',
    );
  });

  it('are found from the compiled dist/ layout too', () => {
    const fromDist = pathToFileURL(join(REPO, 'dist/repro/profile.js')).href;
    expect(builtinProfilesDir(fromDist)).toBe(join(REPO, 'repro/profiles'));
    expect(builtinProfilesDir()).toBe(join(REPO, 'repro/profiles'));
  });
});

describe('user profile files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dropkit-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a path, and names it in errors', async () => {
    const good = join(dir, 'good.yaml');
    await writeFile(good, GOOD);
    const p = await loadProfile(good);
    expect(p.phases[0]).toMatchObject({
      bitrate: '2G',
      bitsPerSecond: 2e9,
      burst: 64,
      duration: 5,
    });
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, GOOD.replace('streams: 4', 'streams: many'));
    await expect(loadProfile(bad)).rejects.toThrow(
      `${bad}:7:14: phases[0].streams must be a positive integer`,
    );
    await expect(loadProfile(join(dir, 'missing.yaml'))).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('a profile above the duration cap loads with a --duration that brings it under', async () => {
    const long = join(dir, 'long.yaml');
    await writeFile(long, GOOD.replace('duration: 5', 'duration: 400'));
    await expect(loadProfile(long)).rejects.toThrow(
      `${long}:3:11: total duration 400 s is above the 300 s duration cap`,
    );
    const short = await loadProfile(long, { overrides: { duration: 3, reverse: true } });
    expect(short.phases[0]).toMatchObject({ duration: 3, reverse: true });
    expect(short.source).toBe(long);
    // The caps apply to the result; the duration is the override's, so no line.
    const e = await loadProfile(long, { overrides: { duration: 301 } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProfileError);
    expect(e).toMatchObject({ kind: 'cap', line: undefined });
    expect(String(e)).toBe(`${long}: total duration 301 s is above the 300 s duration cap`);
    expect((e as ProfileError).hint).toMatch(/--max-duration 301/);
    expect(
      (await loadProfile(long, { overrides: { duration: 301 }, caps: { maxTotalDurationS: 301 } }))
        .phases[0]!.duration,
    ).toBe(301);
    // An override of the duration is no way around the rate cap, still named at its line.
    const fast = join(dir, 'fast.yaml');
    await writeFile(fast, GOOD.replace('duration: 5', 'duration: 400').replace('2G', '7G'));
    await expect(loadProfile(fast, { overrides: { duration: 3 } })).rejects.toThrow(
      `${fast}:8:14: phases[0] (one) sends 4 x 7 Gbit/s = 28 Gbit/s, above the 25 Gbit/s rate cap`,
    );
    await expect(loadProfile(long, { overrides: { duration: 0 } })).rejects.toThrow(
      /--duration must be a positive integer/,
    );
  });
});

describe('validation names the line and column', () => {
  it('wrong types and negative numbers', () => {
    const e = errorOf(GOOD.replace('streams: 4', 'streams: -4'));
    expect(e.toString()).toBe('profile.yaml:7:14: phases[0].streams must be a positive integer');
    expect(e).toMatchObject({ file: 'profile.yaml', line: 7, column: 14, kind: 'schema' });
    expect(e.reason).toBe('phases[0].streams must be a positive integer');
    expect(String(errorOf(GOOD.replace('length: 1400', 'length: 1.5')))).toBe(
      'profile.yaml:10:13: phases[0].length must be a positive integer',
    );
    expect(String(errorOf(GOOD.replace('duration: 5', 'duration: "5"')))).toMatch(
      /^profile\.yaml:3:11: duration must be a positive integer/,
    );
  });

  it('unknown keys, unknown protocol, bad rates', () => {
    expect(String(errorOf(GOOD.replace('    burst: 64', '    bursts: 64')))).toMatch(
      /^profile\.yaml:9:5: unknown key phases\[0\]\.bursts \(known keys: name, protocol/,
    );
    expect(String(errorOf(GOOD.replace('protocol: udp', 'protocol: sctp')))).toBe(
      'profile.yaml:6:15: phases[0].protocol must be udp or tcp',
    );
    expect(String(errorOf(GOOD.replace('bitrate: 2G', 'bitrate: fast')))).toMatch(
      /^profile\.yaml:8:14: phases\[0\]\.bitrate must be a rate such as 2G/,
    );
    expect(String(errorOf(GOOD.replace('bitrate: 2G', 'bitrate: 0')))).toMatch(
      /^profile\.yaml:8:14: phases\[0\]\.bitrate must be above 0/,
    );
    expect(String(errorOf(lines('name: x', 'colour: red', 'phases: []')))).toMatch(
      /^profile\.yaml:2:1: unknown key colour/,
    );
  });

  it('required fields and rules between fields', () => {
    expect(String(errorOf(GOOD.replace('    bitrate: 2G\n', '')))).toMatch(
      /phases\[0\]\.bitrate is required for udp/,
    );
    const noDuration = errorOf(GOOD.replace('duration: 5\n', ''));
    expect(noDuration.toString()).toBe(
      'profile.yaml:4:5: phases[0].duration is required (or a top-level duration)',
    );
    const both = GOOD.replace(
      '    length: 1400',
      '    length: 1400\n    reverse: true\n    bidir: true',
    );
    expect(String(errorOf(both))).toMatch(/reverse and bidir cannot both be true/);
    const dup = `${GOOD}  - name: one\n    protocol: tcp\n`;
    expect(String(errorOf(dup))).toBe('profile.yaml:11:5: phases[1].name "one" is used twice');
    expect(String(errorOf(lines('- a')))).toMatch(
      /^profile\.yaml:1:1: a profile must be a mapping/,
    );
  });

  it('malformed YAML: the yaml library position', () => {
    const e = errorOf(lines('name: x', 'phases:', '  - {name: a, streams: [1', ''));
    expect(e.kind).toBe('syntax');
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.toString()).toMatch(/^profile\.yaml:\d+:\d+: \S/);
    expect(e.toString()).not.toContain('\n');
    expect(String(errorOf(lines('name: x', 'name: y')))).toMatch(
      /^profile\.yaml:2:1: Map keys must be unique/,
    );
  });

  it('reports every problem, the first one as the error', () => {
    const e = errorOf(
      GOOD.replace('streams: 4', 'streams: 0').replace('length: 1400', 'length: x'),
    );
    expect(e.issues.map((i) => i.line)).toEqual([7, 10]);
  });

  it('extraArgs: an allow-list of safe iperf3 flags', () => {
    const withArgs = (args: string) =>
      GOOD.replace('    length: 1400', `    length: 1400\n    extraArgs: ${args}`);
    const ok = parseProfile(withArgs(`['-C', 'bbr', '--dscp=AF41', '-N']`), 'p.yaml');
    expect(ok.phases[0]!.extraArgs).toEqual(['-C', 'bbr', '--dscp=AF41', '-N']);
    expect(String(errorOf(withArgs(`['-N', '-b', '100G']`)))).toBe(
      'profile.yaml:11:23: phases[0].extraArgs: "-b" is set by the profile field bitrate (and burst)',
    );
    expect(String(errorOf(withArgs(`['--logfile', '/etc/passwd']`)))).toMatch(
      /^profile\.yaml:11:17: phases\[0\]\.extraArgs: "--logfile" is not an allowed iperf3 flag \(allowed: -N\/--no-delay/,
    );
    expect(String(errorOf(withArgs(`['-C', 'bbr; rm -rf /']`)))).toMatch(
      /"-C" needs a congestion control name, got "bbr; rm -rf \/"/,
    );
    expect(String(errorOf(withArgs(`['-C']`)))).toMatch(
      /"-C" needs a congestion control name, got nothing/,
    );
  });
});

describe('caps', () => {
  it('refuses a profile above the duration cap, at the duration line', () => {
    const e = errorOf(GOOD.replace('duration: 5', 'duration: 400'));
    expect(e.kind).toBe('cap');
    expect(e.toString()).toBe(
      'profile.yaml:3:11: total duration 400 s is above the 300 s duration cap',
    );
    expect(e.hint).toBe('shorten the phases, or raise the cap explicitly with --max-duration 400');
    expect(
      parseProfile(GOOD.replace('duration: 5', 'duration: 400'), 'p', {
        caps: { maxTotalDurationS: 400 },
      }).phases[0]!.duration,
    ).toBe(400);
  });

  it('refuses an aggregate rate above the rate cap, at the bitrate line', () => {
    const e = errorOf(GOOD.replace('bitrate: 2G', 'bitrate: 7G'));
    expect(e.toString()).toBe(
      'profile.yaml:8:14: phases[0] (one) sends 4 x 7 Gbit/s = 28 Gbit/s, above the 25 Gbit/s rate cap',
    );
    expect(e.hint).toMatch(/--max-rate 28G/);
    expect(() =>
      parseProfile(GOOD.replace('bitrate: 2G', 'bitrate: 7G'), 'p', {
        caps: { maxAggregateBitsPerSecond: 28e9 },
      }),
    ).not.toThrow();
    expect(DEFAULT_CAPS).toEqual({ maxTotalDurationS: 300, maxAggregateBitsPerSecond: 25e9 });
  });

  it('applyOverrides: duration and reverse, checked against the caps again', async () => {
    const p = await loadProfile('microburst');
    const short = applyOverrides(p, { duration: 1, reverse: true });
    expect(short.phases[0]).toMatchObject({ duration: 1, reverse: true });
    expect(p.phases[0]).toMatchObject({ duration: 10, reverse: false });
    const e = (() => {
      try {
        applyOverrides(p, { duration: 301 });
      } catch (x) {
        return x as ProfileError;
      }
    })();
    expect(e?.kind).toBe('cap');
    expect(e?.toString()).toBe(
      'microburst.yaml: total duration 301 s is above the 300 s duration cap',
    );
    expect(e?.hint).toMatch(/--max-duration 301/);
    expect(
      applyOverrides(p, { duration: 301 }, { maxTotalDurationS: 600 }).phases[0]!.duration,
    ).toBe(301);
    expect(() => applyOverrides(p, { duration: 0 })).toThrow(
      /--duration must be a positive integer/,
    );
    const bidir = await loadProfile('tcp-bidir');
    expect(() => applyOverrides(bidir, { reverse: true })).toThrow(/already bidir/);
    expect(applyOverrides(bidir, { reverse: false }).phases[0]!.bidir).toBe(true);
  });
});
