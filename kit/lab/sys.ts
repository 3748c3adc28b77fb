import { execa } from 'execa';
import { DropkitError } from '../errors.js';

// Runs a local system command for the lab and turns a failure into an error
// that names the command, so `lab up` failures are diagnosable.
export async function sys(
  cmd: string,
  args: string[],
  opts: { input?: string; allowFail?: boolean } = {},
) {
  const r = await execa(cmd, args, { reject: false, input: opts.input, timeout: 30_000 });
  if (r.exitCode !== 0 && !opts.allowFail) {
    const detail = (r.stderr || r.stdout || r.message || '')
      .toString()
      .trim()
      .split('\n')
      .slice(-2)
      .join(' ');
    throw new DropkitError({
      code: 'LAB_FAILED',
      message: `\`${[cmd, ...args].join(' ')}\` failed: ${detail}`,
      host: 'lab',
      step: 'lab',
    });
  }
  return { ok: r.exitCode === 0, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

export async function which(tool: string): Promise<string | undefined> {
  const r = await execa('sh', ['-c', `command -v ${tool}`], { reject: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}
