import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer order, lowest first: a module may import its own layer and the
// ones below, never one above. kit/cli alone may import every layer, and no
// module imports it. The transport never imports the lab: the CLI passes the
// lab's ssh_config in. docs/DESIGN.md says why.
const LAYERS = ['kit', 'collectors', 'repro', 'bundles', 'kit/cli'] as const;
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

function layerOf(file: string): number {
  if (file.startsWith('kit/cli/')) return LAYERS.indexOf('kit/cli');
  return LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

// Every relative import and dynamic import, type-only ones included: a type
// import still ties the two modules' shapes together.
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm,
  ))
    out.push(normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
  return out;
}

function violations(files: Record<string, string>): string[] {
  const bad: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const target of importsOf(file, text)) {
      if (layerOf(target) < 0) continue;
      if (layerOf(target) > layerOf(file))
        bad.push(
          `${file} imports ${target}: ${LAYERS[layerOf(file)]} is below ${LAYERS[layerOf(target)]}`,
        );
      else if (file.startsWith('kit/transport/') && target.startsWith('kit/lab/'))
        bad.push(`${file} imports ${target}: the transport must not know the lab`);
    }
  }
  return bad;
}

describe('layer order', () => {
  it('no module imports a layer above its own', () => {
    const files = Object.fromEntries(
      ['kit', 'collectors', 'repro', 'bundles']
        .flatMap(sources)
        .map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]),
    );
    expect(Object.keys(files).length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('catches an import upwards, a transport that knows the lab, and a dynamic import', () => {
    expect(
      violations({
        'collectors/x.ts': "import { y } from '../repro/y.js';",
        'kit/transport/t.ts': "import type { L } from '../lab/current.js';",
        'bundles/b.ts': "const m = await import('../kit/cli/common.js');",
        'repro/ok.ts': "import { z } from '../collectors/z.js';\nimport { k } from '../kit/k.js';",
      }),
    ).toEqual([
      'collectors/x.ts imports repro/y.ts: collectors is below repro',
      'kit/transport/t.ts imports kit/lab/current.ts: the transport must not know the lab',
      'bundles/b.ts imports kit/cli/common.ts: bundles is below kit/cli',
    ]);
  });
});
