import { execa } from 'execa';
import { newBoundary } from '../../collectors/snapshot/script.js';
import { feedSampler, newSamplerStream, type Sample } from '../../repro/sampler/parse.js';
import { samplerScript } from '../../repro/sampler/script.js';

// The sampler at 100 ms under a given shell, against fake kernel files
// (`rewrite` points its paths at them), until `enough` says so (then it is
// stopped, as the run stops it) or for 10 s: a loaded machine only makes it
// take longer. `onSample` may change the fake files; each call is awaited in
// turn before the result is returned.
export async function runSampler(o: {
  shell: readonly string[];
  posixOnly: boolean;
  ethtoolEvery: number;
  dataIface: string;
  rewrite: (script: string) => string;
  env?: Record<string, string>;
  enough: (samples: Sample[]) => boolean;
  onSample?: (s: Sample) => void | Promise<void>;
}): Promise<{ samples: Sample[]; warnings: string[] }> {
  const B = newBoundary();
  const script = o.rewrite(
    samplerScript({
      intervalMs: 100,
      ethtoolEvery: o.ethtoolEvery,
      dataIface: o.dataIface,
      maxSeconds: 10,
      posixOnly: o.posixOnly,
      boundary: B,
    }),
  );
  const child = execa(o.shell[0]!, [...o.shell.slice(1), '-c', script], {
    ...(o.env ? { env: o.env } : {}),
    buffer: false,
    reject: false,
  });
  const st = newSamplerStream(B);
  const samples: Sample[] = [];
  let chain = Promise.resolve();
  child.stdout!.on('data', (c: Buffer) => {
    for (const s of feedSampler(st, c.toString())) {
      samples.push(s);
      chain = chain.then(() => o.onSample?.(s));
    }
    if (o.enough(samples)) child.kill('SIGTERM');
  });
  await child;
  await chain;
  return { samples, warnings: st.warnings };
}
