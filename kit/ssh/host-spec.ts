// Parsing of `[user@]host[:port]` destinations, the form used on the command line and in
// ProxyJump hops. Mirrors OpenSSH's parse_user_host_port() plus two conveniences: bare IPv6
// literals (`::1`, never with a port, since the last colon is ambiguous) and `ssh://` URIs.

export interface HostSpec {
  user?: string;
  host: string;
  port?: number;
}

/** Parses a decimal TCP port (1-65535); returns undefined for anything else. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function fail(spec: string, reason: string): never {
  throw new Error(`invalid host "${spec}": ${reason}`);
}

function splitHostPort(spec: string, rest: string): { host: string; port?: number } {
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail(spec, 'missing closing "]"');
    const host = rest.slice(1, close);
    const tail = rest.slice(close + 1);
    if (tail === '') return { host };
    if (!tail.startsWith(':')) fail(spec, `unexpected "${tail}" after "]"`);
    return { host, port: requirePort(spec, tail.slice(1)) };
  }
  const firstColon = rest.indexOf(':');
  if (firstColon < 0) return { host: rest };
  // Two or more colons can only be a bare IPv6 literal; a port would need brackets.
  if (rest.indexOf(':', firstColon + 1) >= 0) return { host: rest };
  return { host: rest.slice(0, firstColon), port: requirePort(spec, rest.slice(firstColon + 1)) };
}

function requirePort(spec: string, text: string): number {
  const port = parsePort(text);
  if (port === undefined) fail(spec, `port "${text}" is not a number between 1 and 65535`);
  return port;
}

/**
 * Parses `[user@]host[:port]`, `[user@][v6addr]:port`, bare `v6addr` and
 * `ssh://[user@]host[:port]`. Throws a plain Error with a readable message on bad input.
 */
export function parseHostSpec(spec: string): HostSpec {
  let rest = spec.trim();
  if (rest.startsWith('ssh://')) rest = rest.slice('ssh://'.length).replace(/\/$/, '');
  if (/\s/.test(rest)) fail(spec, 'contains whitespace');

  let user: string | undefined;
  // The last '@' separates the user, so user names like "alice@corp" still work.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === '') fail(spec, 'empty user name before "@"');
  }

  const { host, port } = splitHostPort(spec, rest);
  if (host === '') fail(spec, 'empty host name');
  if (/[[\]/@]/.test(host)) fail(spec, `unexpected character in host "${host}"`);

  const result: HostSpec = { host };
  if (user !== undefined) result.user = user;
  if (port !== undefined) result.port = port;
  return result;
}

/** Inverse of parseHostSpec, bracketing IPv6 literals when a port is present. */
export function formatHostSpec(spec: HostSpec): string {
  const host = spec.port !== undefined && spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  const user = spec.user !== undefined ? `${spec.user}@` : '';
  const port = spec.port !== undefined ? `:${spec.port}` : '';
  return user + host + port;
}

// The host part of a spec, for labels and redaction; the spec itself when it
// does not parse (it then failed to connect anyway and is shown as typed).
export function hostOfSpec(spec: string): string {
  return partsOfSpec(spec).host;
}

/** Host and user of a spec, tolerant: an unparsable spec is all host. */
export function partsOfSpec(spec: string): { host: string; user?: string } {
  try {
    const { host, user } = parseHostSpec(spec);
    return user === undefined ? { host } : { host, user };
  } catch {
    return { host: spec };
  }
}
