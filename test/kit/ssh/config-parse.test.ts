import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexConfigLine, splitArgs } from '../../../kit/ssh/config-lexer.js';
import { parseSshConfig } from '../../../kit/ssh/config-parse.js';

describe('lexConfigLine', () => {
  it.each([
    ['HostName example.com', 'HostName', ['example.com']],
    ['HostName=example.com', 'HostName', ['example.com']],
    ['HostName = example.com', 'HostName', ['example.com']],
    ['  HostName\t=\texample.com  ', 'HostName', ['example.com']],
    ['HostName example.com # trailing comment', 'HostName', ['example.com']],
    ['IdentityFile "/path with/spaces key"', 'IdentityFile', ['/path with/spaces key']],
    ["IdentityFile '/single quoted'", 'IdentityFile', ['/single quoted']],
    ['IdentityFile /a\\ b', 'IdentityFile', ['/a b']],
    ['Host a b  !c', 'Host', ['a', 'b', '!c']],
  ])('%j', (line, keyword, args) => {
    expect(lexConfigLine(line)).toMatchObject({ kind: 'directive', keyword, args });
  });

  it('treats blank and comment lines as blank', () => {
    for (const line of ['', '   ', '# Host x', '   # indented comment', '\r']) {
      expect(lexConfigLine(line)).toEqual({ kind: 'blank' });
    }
  });

  it('reports missing arguments and bad quotes', () => {
    expect(lexConfigLine('HostName')).toMatchObject({ kind: 'error', message: /no argument/ });
    expect(lexConfigLine('HostName =')).toMatchObject({ kind: 'error', message: /no argument/ });
    expect(lexConfigLine('HostName # only a comment')).toMatchObject({ kind: 'error' });
    expect(lexConfigLine('IdentityFile "/unterminated')).toMatchObject({
      kind: 'error',
      message: /unterminated quote/,
    });
  });

  it('keeps the raw rest of the line for ProxyCommand', () => {
    const lexed = lexConfigLine('ProxyCommand ssh -W %h:%p "jump host"');
    expect(lexed).toMatchObject({ rest: 'ssh -W %h:%p "jump host"' });
  });

  it('splitArgs keeps unknown escapes literally', () => {
    expect(splitArgs('C:\\keys\\id')).toEqual(['C:\\keys\\id']);
    expect(splitArgs('"a \\" b"')).toEqual(['a " b']);
  });
});

describe('parseSshConfig', () => {
  it('lower-cases keywords and groups options under Host and Match blocks', () => {
    const { blocks, warnings } = parseSshConfig(
      ['USER top', 'Host a b', '  HOSTNAME=a.example', 'Match host x.example', '  Port 2'].join(
        '\n',
      ),
      'cfg',
    );
    expect(warnings).toEqual([]);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatchObject({ line: 0, conditions: [], options: [{ keyword: 'user' }] });
    expect(blocks[1]).toMatchObject({
      line: 2,
      conditions: [
        {
          kind: 'host',
          patterns: [
            { pattern: 'a', negated: false },
            { pattern: 'b', negated: false },
          ],
        },
      ],
      options: [{ keyword: 'hostname', args: ['a.example'], file: 'cfg', line: 3 }],
    });
    expect(blocks[2]?.conditions).toEqual([
      { kind: 'match', criteria: [{ kind: 'host', patterns: 'x.example', negated: false }] },
    ]);
  });

  it('warns with file and line for malformed lines and keeps going', () => {
    const text = [
      'Host a', // 1
      '  HostName', // 2: keyword without value
      '  Port abc', // 3: invalid port
      '  Port 70000', // 4
      '  StrictHostKeyChecking maybe', // 5
      '  ConnectTimeout soon', // 6
      '  ProxyJump bad:port', // 7
      '  User a b', // 8: extra argument
      '  IdentityFile "/x', // 9
      '  SomeFutureKeyword whatever', // 10: unknown keywords are fine
      '  Port 2222', // 11
    ].join('\n');
    const { blocks, warnings } = parseSshConfig(text, '/home/u/.ssh/config');
    expect(warnings).toEqual([
      expect.stringMatching(/^\/home\/u\/\.ssh\/config:2: no argument after keyword "HostName"/),
      expect.stringMatching(/^\/home\/u\/\.ssh\/config:3: Port: invalid port "abc"/),
      expect.stringMatching(/:4: Port: invalid port "70000"/),
      expect.stringMatching(/:5: StrictHostKeyChecking/),
      expect.stringMatching(/:6: ConnectTimeout: invalid time value/),
      expect.stringMatching(/:7: ProxyJump: invalid ProxyJump/),
      expect.stringMatching(/:8: User: unexpected extra arguments "b"/),
      expect.stringMatching(/:9: unterminated quote/),
    ]);
    expect(blocks[1]?.options.map((o) => o.keyword)).toEqual(['somefuturekeyword', 'port']);
  });

  it('parses the criteria it cannot evaluate instead of dropping the block', () => {
    const text = ['Match exec "test -f /x"', '  User nope', 'Match host a canonical', '  User no'];
    const { blocks, warnings } = parseSshConfig(text.join('\n'), 'cfg');
    expect(warnings).toEqual([]);
    expect(blocks[1]?.conditions).toEqual([
      {
        kind: 'match',
        criteria: [
          {
            kind: 'undecidable',
            name: 'exec',
            arg: 'test -f /x',
            negated: false,
            origin: { file: 'cfg', line: 1 },
          },
        ],
      },
    ]);
    expect(blocks[2]?.conditions).toEqual([
      {
        kind: 'match',
        criteria: [
          { kind: 'host', patterns: 'a', negated: false },
          { kind: 'canonical', negated: false },
        ],
      },
    ]);
    expect(blocks[1]?.options).toHaveLength(1);
  });

  it('accepts "all" after final or canonical, as OpenSSH does', () => {
    const { blocks, warnings } = parseSshConfig('Match final all\n  Port 2', 'cfg');
    expect(warnings).toEqual([]);
    expect(blocks[1]?.conditions).toEqual([
      {
        kind: 'match',
        criteria: [
          { kind: 'final', negated: false },
          { kind: 'all', negated: false },
        ],
      },
    ]);
  });

  it('keeps the options of an invalid Match line inside its block', () => {
    const { blocks, warnings } = parseSshConfig('Match bogus y\n  User x', 'cfg');
    expect(warnings).toEqual([expect.stringContaining('cfg:1: unknown Match criterion "bogus"')]);
    expect(blocks[1]?.conditions).toEqual([
      { kind: 'invalid', reason: expect.any(String), origin: { file: 'cfg', line: 1 } },
    ]);
    expect(blocks[1]?.options).toHaveLength(1);
  });

  it('lets only tagged and command test the empty string', () => {
    const { warnings } = parseSshConfig(
      ['Match tagged ""', 'Match command=', 'Match host ""', 'Match exec=""'].join('\n'),
      'cfg',
    );
    expect(warnings).toEqual([
      expect.stringContaining('cfg:3: missing argument for Match "host"'),
      expect.stringContaining('cfg:4: missing argument for Match "exec"'),
    ]);
  });

  it('rejects malformed Match lines', () => {
    const { warnings } = parseSshConfig(
      ['Match all host x', 'Match host', 'Match bogus y', 'Match'].join('\n'),
      'cfg',
    );
    expect(warnings).toEqual([
      expect.stringContaining('cfg:1: "all" cannot be combined'),
      expect.stringContaining('cfg:2: missing argument for Match "host"'),
      expect.stringContaining('cfg:3: unknown Match criterion "bogus"'),
      expect.stringContaining('cfg:4: no argument after keyword "Match"'),
    ]);
  });

  it('accepts Match criteria in key=value form and negated', () => {
    const { blocks } = parseSshConfig('Match !host=*.internal originalhost db', 'cfg');
    expect(blocks[1]?.conditions).toEqual([
      {
        kind: 'match',
        criteria: [
          { kind: 'host', patterns: '*.internal', negated: true },
          { kind: 'originalhost', patterns: 'db', negated: false },
        ],
      },
    ]);
  });

  it('records Include directives for the loader', () => {
    const { blocks } = parseSshConfig('Include conf.d/*.conf ~/other', 'cfg');
    expect(blocks[0]?.options).toEqual([
      expect.objectContaining({ keyword: 'include', args: ['conf.d/*.conf', '~/other'], line: 1 }),
    ]);
  });

  it('handles CRLF line endings', () => {
    const { blocks, warnings } = parseSshConfig('Host a\r\n  Port 2\r\n', 'cfg');
    expect(warnings).toEqual([]);
    expect(blocks[1]?.options[0]?.args).toEqual(['2']);
  });

  it('is not confused by Object.prototype names in keywords or values', () => {
    const text = 'constructor x\n__proto__ y\nStrictHostKeyChecking constructor\ntoString=1';
    const { blocks, warnings } = parseSshConfig(text, 'cfg');
    expect(warnings).toEqual([
      'cfg:3: StrictHostKeyChecking: invalid StrictHostKeyChecking "constructor"',
    ]);
    expect(blocks[0]?.options.map((o) => o.keyword)).toEqual([
      'constructor',
      '__proto__',
      'tostring',
    ]);
  });

  it('never throws, whatever the input', () => {
    const line = fc.array(
      fc.constantFrom(
        'Host',
        'Match',
        'host',
        'all',
        'Port',
        '=',
        ' ',
        '\t',
        '"',
        "'",
        '\\',
        '#',
        '!',
        '*',
        ',',
        'x',
        '22',
        'exec',
        'Include',
        '\r',
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        fc.array(
          line.map((parts) => parts.join('')),
          { maxLength: 20 },
        ),
        (lines) => {
          const parsed = parseSshConfig(lines.join('\n'), 'cfg');
          for (const w of parsed.warnings) expect(w).toMatch(/^cfg:\d+: /);
        },
      ),
    );
    fc.assert(fc.property(fc.string(), (text) => void parseSshConfig(text, 'cfg')));
  });
});
