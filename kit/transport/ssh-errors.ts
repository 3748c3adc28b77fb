import { DropkitError } from '../errors.js';

// Maps what ssh2 and the socket layer throw to errors that say what, where and
// what next. Pure, so every branch is unit-tested.
export function classifyConnectError(
  err: Error & { code?: string; level?: string },
  ctx: {
    host: string;
    address: string;
    port: number;
    user: string;
    timeoutMs: number;
    tried: string[];
  },
): DropkitError {
  const at = `${ctx.address}:${ctx.port}`;
  const base = { host: ctx.host, step: 'connect', cause: err };
  if (err.level === 'client-authentication') {
    const tried = ctx.tried.length ? ctx.tried.join(', ') : 'nothing (no agent, no identity file)';
    return new DropkitError({
      ...base,
      step: 'authenticate',
      code: 'AUTH_FAILED',
      message: `authentication failed for ${ctx.user}@${at} (tried: ${tried})`,
      hint: 'check the user and key: set User/IdentityFile in ssh config, use user@host, or load the key into ssh-agent',
    });
  }
  if (
    err.level === 'client-timeout' ||
    err.code === 'ETIMEDOUT' ||
    /Timed out while waiting for handshake/.test(err.message)
  ) {
    return new DropkitError({
      ...base,
      code: 'CONNECT_TIMEOUT',
      message: `no SSH answer from ${at} within ${Math.round(ctx.timeoutMs / 1000)} s`,
      hint: 'check the address, that sshd listens there and that no firewall drops SSH; raise ConnectTimeout for slow links',
    });
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNRESET: 'connection reset during handshake',
    ENOTFOUND: 'name does not resolve',
    EAI_AGAIN: 'name does not resolve (DNS unavailable)',
  };
  const reason = (err.code && reasons[err.code]) || err.message;
  return new DropkitError({
    ...base,
    code: 'CONNECT_FAILED',
    message: `cannot connect to ${at}: ${reason}`,
    hint:
      err.code === 'ECONNREFUSED'
        ? 'is sshd running on that port?'
        : 'check the address and the route to it',
  });
}
