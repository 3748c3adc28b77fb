import { createServer } from 'node:net';
import { execa } from 'execa';

// Runs a one-off iperf3 server and one client on 127.0.0.1 (never any other
// address), 1-2 s of traffic, and returns both JSON documents.

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function iperf3Available(): Promise<boolean> {
  const r = await execa('iperf3', ['--version'], { reject: false });
  return r.exitCode === 0;
}

export async function loopbackRun(
  clientArgs: readonly string[],
): Promise<{ client: string; server: string }> {
  const port = await freePort();
  const server = execa('iperf3', ['-s', '-1', '-J', '-p', String(port), '-B', '127.0.0.1'], {
    reject: false,
    timeout: 20_000,
  });
  try {
    await waitForListen(port);
    const client = await execa(
      'iperf3',
      ['-c', '127.0.0.1', '-p', String(port), '-J', '--get-server-output', ...clientArgs],
      { reject: false, timeout: 15_000 },
    );
    const s = await server;
    return { client: client.stdout, server: s.stdout };
  } finally {
    server.kill('SIGKILL');
  }
}

// The server is ready once its port accepts a TCP connection; probing it
// with a plain connect would count as iperf3's one client, so poll ss instead.
async function waitForListen(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await execa('ss', ['-Hltn', `sport = :${port}`], { reject: false });
    if (r.stdout.includes(`:${port}`)) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`iperf3 server on port ${port} did not start`);
}
