import type { Command } from 'commander';
import type { IdentityHint } from '../../bundles/identity-build.js';
import type { ShareRequest } from '../../bundles/identity-share.js';
import { terminalGuard } from '../terminal-text.js';
import { askYesNo } from './ask.js';
import { printErr } from './print.js';

// --share-identity on the three commands that write a bundle: the values are
// always shown before they are shared, and asked about on a terminal. Off a
// terminal nobody can be asked, so --yes must say it up front.

export interface ShareOpts {
  shareIdentity?: boolean;
  yes?: boolean;
}

export function addShareOptions(c: Command): Command {
  return c
    .option(
      '--share-identity',
      'write the VM identity the vendor looks hosts up with (node names, primary NIC address and MAC, cloud subscription/account, VM and cluster names) IN CLEAR into identity.json; everything else stays pseudonymised. Shown first, and asked on a terminal',
    )
    .option(
      '--yes',
      'agree to share what --share-identity shows without asking (needed off a terminal)',
    );
}

// Before anything runs: a run must not end in a question nobody can answer.
export function checkShareOpts(o: ShareOpts, cmd: Command): void {
  if (o.shareIdentity && !o.yes && !process.stdin.isTTY)
    cmd.error(
      'error: --share-identity shows the values and asks before sharing them; stdin is not a terminal, so add --yes',
      { exitCode: 2 },
    );
}

export function shareRequest(o: ShareOpts, hints: IdentityHint[]): ShareRequest | undefined {
  if (!o.shareIdentity) return undefined;
  return {
    hints,
    confirm: async (lines) => {
      printErr(
        `--share-identity: these values go into identity.json in clear; everything else stays pseudonymised:\n${lines
          .map((l) => `  ${terminalGuard(l, { oneLine: true })}`)
          .join('\n')}\n`,
      );
      if (o.yes) return true;
      const yes = await askYesNo('Share them?');
      if (!yes) printErr('not shared: the bundle is written without identity.json\n');
      return yes;
    },
  };
}
