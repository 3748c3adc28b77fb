import { type BundleEntry, sha256 } from '../../bundles/entries.js';

// A minimal well-formed bundle: summaries and a manifest listing them.
export function minimalBundle(summary = '# ok\n'): BundleEntry[] {
  const md = Buffer.from(summary);
  const json = Buffer.from('{}\n');
  const manifest = {
    schema: 'dropkit.bundle/1',
    redaction: { enabled: true },
    files: [
      { path: 'summary.md', sha256: sha256(md), bytes: md.length },
      { path: 'summary.json', sha256: sha256(json), bytes: json.length },
    ],
  };
  return [
    { path: 'summary.md', bytes: md },
    { path: 'summary.json', bytes: json },
    { path: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest)) },
  ];
}
