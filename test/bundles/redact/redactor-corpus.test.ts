import { describe, expect, it } from 'vitest';
import { CATEGORIES, scanForLeaks } from '../../../bundles/redact/index.js';
import { CORPUS, KEPT, PLANTED } from './corpus.js';
import { corpusRedactor } from './helpers.js';

const ALL_PLANTED: string[] = Object.values(PLANTED).flat();

describe('redaction of the planted corpus', () => {
  const redactor = corpusRedactor();
  const { files, counts } = redactor.redactFiles(CORPUS);
  const before = CORPUS.map((f) => f.text).join('\n');
  const after = files.map((f) => f.text).join('\n');

  it('plants every value in the input (the corpus is not vacuous)', () => {
    const onlyDiscovered: readonly string[] = PLANTED.ipv4OnlyDiscovered;
    for (const v of ALL_PLANTED.filter((x) => !onlyDiscovered.includes(x)))
      expect(before.toLowerCase()).toContain(v.toLowerCase());
  });

  it('leaves no planted value under any spelling', () => {
    const lower = after.toLowerCase();
    const left = ALL_PLANTED.filter((v) => lower.includes(v.toLowerCase()));
    expect(left).toEqual([]);
  });

  it('scans clean with the redactor’s own sensitive values', () => {
    expect(scanForLeaks(files, redactor.sensitiveValues())).toEqual([]);
  });

  it('flags, before redaction, exactly the files redaction changed', () => {
    const leaky = new Set(scanForLeaks(CORPUS, redactor.sensitiveValues()).map((l) => l.path));
    const changed = CORPUS.filter((f, i) => files[i]!.text !== f.text).map((f) => f.path);
    expect([...leaky].sort()).toEqual(changed.sort());
  });

  it('keeps loopback, IMDS, wireserver, PCI ids, versions, counters and kernel symbols', () => {
    for (const v of KEPT) expect(after).toContain(v);
  });

  it('leaves outputs with nothing sensitive byte-identical', () => {
    for (const path of ['raw/ethtool_S.txt', 'raw/softnet_stat.txt', 'raw/ethtool_i.txt']) {
      const i = CORPUS.findIndex((f) => f.path === path);
      expect(files[i]!.text).toBe(CORPUS[i]!.text);
    }
  });

  it('replaces something of every category', () => {
    for (const c of CATEGORIES) expect(counts[c], c).toBeGreaterThan(0);
  });

  it('keeps every line, and its length unless it holds a secret, an IPv4 or an EUI-64', () => {
    // IPv4 tokens have the digits their prefix gives them, and an EUI-64 link-local spells its
    // MAC token, which may have one digit more; a table's columns still line up (alignment.test).
    const widthChanges = /\d+[.-]\d+[.-]\d+[.-]\d+|fe80::/;
    CORPUS.forEach((f, i) => {
      if (f.path === 'raw/pem.txt') return; // the whole multi-line block is one marker
      const lines = files[i]!.text.split('\n');
      expect(lines).toHaveLength(f.text.split('\n').length);
      f.text.split('\n').forEach((line, n) => {
        if (!lines[n]!.includes('<REDACTED:') && !widthChanges.test(line))
          expect(lines[n]!.length, `${f.path}:${n + 1}`).toBe(line.length);
      });
    });
  });

  it('puts originals in the map but never a secret', () => {
    const map = redactor.mapping();
    expect(map.map((e) => e.original)).toContain('10.224.0.4');
    expect(map.some((e) => e.category === 'secret')).toBe(false);
    const json = JSON.stringify(map);
    for (const s of PLANTED.secrets) expect(json).not.toContain(s);
  });

  it('replaces an IPv4 known only in dotted form wherever it is spelled with dashes', () => {
    const aws = files.find((f) => f.path === 'raw/aws.log')!.text;
    expect(aws).not.toMatch(/10-1-2-3|20-51-8-9/);
    expect(aws).toMatch(
      /^kubelet\[812\]: node-2\d\d-\d+-\d+-\d+ ready; public endpoint pip-2\d\d-/m,
    );
  });

  it('replaces a known host name inside a longer FQDN and inside a path', () => {
    const hosts = files.find((f) => f.path === 'raw/etc_hosts.txt')!.text;
    const host = redactor.mapping().find((e) => e.original === PLANTED.hostname)!.pseudonym;
    expect(hosts).toContain(`${host}.dom-`);
    expect(hosts).toContain('.ax.internal.cloudapp.net '.slice(3)); // suffix kept
    expect(files.find((f) => f.path === 'raw/app_config.txt')!.text).toContain(
      `/var/log/elasticsearch/${host}\n`,
    );
  });

  it('redacts Azure resource ids segment by segment', () => {
    const imds = files.find((f) => f.path === 'raw/imds_instance.json')!.text;
    expect(imds).toMatch(
      /"\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/res-[0-9a-f]+\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/aks-r[0-9a-f]{8}-\d{8}-vmss\/virtualMachines\/0"/,
    );
    expect(JSON.parse(imds).compute.osProfile.disablePasswordAuthentication).toBe('true');
  });

  it('keeps redacted JSON parseable', () => {
    for (const f of files.filter((x) => x.path.endsWith('.json')))
      expect(() => JSON.parse(f.text), f.path).not.toThrow();
  });
});
