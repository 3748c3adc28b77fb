import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DropkitError } from '../../../kit/errors.js';
import { parseNodesFile } from '../../../kit/fleet/nodes-file.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'fleet');

describe('nodes file', () => {
  it('reads one host per line, skipping comments and blanks, once each', () => {
    const text = readFileSync(join(FIXTURES, 'nodes.txt'), 'utf8');
    expect(parseNodesFile(text, 'nodes.txt')).toEqual([
      {
        name: 'aks-nodepool1-31754206-vmss000000',
        host: 'aks-nodepool1-31754206-vmss000000',
        groups: [],
      },
      {
        name: 'aks-nodepool1-31754206-vmss000001',
        host: 'aks-nodepool1-31754206-vmss000001',
        groups: [],
      },
      { name: 'azureuser@10.240.0.5', host: '10.240.0.5', user: 'azureuser', groups: [] },
      {
        name: 'azureuser@10.240.0.6:2222',
        host: '10.240.0.6',
        user: 'azureuser',
        port: 2222,
        groups: [],
      },
      { name: '[fd00::7]:22', host: 'fd00::7', port: 22, groups: [] },
    ]);
  });

  it('names the file, the line and the problem', () => {
    const cases: Array<[string, string]> = [
      ['a\nb c\n', 'nodes:2: one host per line, found "b c"'],
      [
        'a\n\nb:99999\n',
        'nodes:3: invalid host "b:99999": port "99999" is not a number between 1 and 65535',
      ],
      ['@host\n', 'nodes:1: invalid host "@host": empty user name before "@"'],
    ];
    for (const [text, message] of cases) {
      let err: unknown;
      try {
        parseNodesFile(text, 'nodes');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DropkitError);
      expect((err as DropkitError).message).toBe(message);
    }
  });

  it('reads CRLF files and an empty one', () => {
    expect(parseNodesFile('a\r\nb\r\n', 'n').map((h) => h.host)).toEqual(['a', 'b']);
    expect(parseNodesFile('# nothing\n\n', 'n')).toEqual([]);
  });
});
