// ProxyCommand as OpenSSH reads it (readconf.c, ssh.c, sshconnect.c). Pure: the
// transport runs the command line this builds.
//
// The tokens are those of sshconnect.c expand_proxy_command(): %h the host name
// (after HostName, lower-cased), %n the host as typed, %p the port, %r the remote
// user, %k the HostKeyAlias (else the host as typed) and %% a percent sign.
// percent_expand() stops ssh on any other token, and so does dropkit, rather than
// running a command line the user never meant.

export interface ProxyTokens {
  hostName: string;
  alias: string;
  port: number;
  user: string;
  hostKeyAlias?: string;
}

export type ProxyExpansion = { ok: true; command: string } | { ok: false; reason: string };

/** `ProxyCommand none` turns it off, in any case (misc.c option_clear_or_none()). */
export function isProxyCommandNone(value: string): boolean {
  return value.toLowerCase() === 'none';
}

export function expandProxyCommand(template: string, t: ProxyTokens): ProxyExpansion {
  const values = new Map<string, string>([
    ['h', t.hostName],
    ['n', t.alias],
    ['p', String(t.port)],
    ['r', t.user],
    ['k', t.hostKeyAlias ?? t.alias],
    ['%', '%'],
  ]);
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const key = template[i + 1];
    if (key === undefined) return { ok: false, reason: 'a lone "%" ends the command' };
    const value = values.get(key);
    if (value === undefined) return { ok: false, reason: `unknown token "%${key}"` };
    out += value;
    i++;
  }
  return { ok: true, command: out };
}

/**
 * The argv that runs a ProxyCommand, as sshconnect.c does: the user's shell (or
 * /bin/sh) with `-c "exec <command>"`, so the command replaces the shell and its
 * exit status is the one reported.
 */
export function proxyCommandArgv(command: string, shell: string | undefined): string[] {
  return [shell || '/bin/sh', '-c', `exec ${command}`];
}
