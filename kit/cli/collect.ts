import { Command } from 'commander';
import { registerAnalyze } from './analyze-command.js';
import { registerBundle } from './bundle-command.js';
import { addGlobalOptions, examples, runProgram } from './common.js';
import { registerCompletion } from './completion-command.js';
import { registerCollectDoctor } from './doctor-command.js';
import { registerRedact } from './redact-command.js';
import { registerReport } from './report-command.js';
import { registerScan } from './scan-command.js';
import { registerShow } from './show-command.js';
import { registerSnapshot } from './snapshot-command.js';
import { registerUpload } from './upload-command.js';
import { registerVerify } from './verify-command.js';

// `collect`: one node's evidence, without traffic. Built anew for each run,
// so main() can be called more than once in one process (tests).
function program(): Command {
  const p = addGlobalOptions(new Command('collect'))
    .description("Collect one node's packet-loss evidence, without traffic")
    .addHelpText(
      'after',
      examples([
        'collect doctor --node vmA',
        'collect snapshot --node vmA',
        'collect scan --inventory hosts.ini',
        'collect analyze before/ after/',
      ]),
    );
  registerCollectDoctor(p);
  registerSnapshot(p);
  registerScan(p);
  registerAnalyze(p);
  registerBundle(p);
  registerVerify(p);
  registerShow(p);
  registerReport(p);
  registerRedact(p);
  registerUpload(p);
  registerCompletion(p);
  return p;
}

// argv as process.argv gives it (node, script, args…); returns the exit code.
export function main(argv: readonly string[]): Promise<number> {
  return runProgram(program(), argv);
}
