import { describe, expect, it } from 'vitest';
import { shellBlocks } from '../support/doc-blocks.js';

describe('shellBlocks: the docs test’s convention', () => {
  const md = [
    '# Title',
    '```sh',
    'keywarden holder list',
    '```',
    '```json',
    '{"not": "run"}',
    '```',
    '- a list item:',
    '  ```sh',
    '  # not run by the docs test: needs a Raspberry Pi',
    '  sudo apt-get install -y socat',
    '  ```',
    '```',
    'badge alice',
    '```',
  ].join('\n');

  it('finds sh blocks only, dedented, with their line and skip reason', () => {
    expect(shellBlocks('x.md', md)).toEqual([
      { file: 'x.md', line: 2, script: 'keywarden holder list' },
      {
        file: 'x.md',
        line: 9,
        script: '# not run by the docs test: needs a Raspberry Pi\nsudo apt-get install -y socat',
        skip: 'needs a Raspberry Pi',
      },
    ]);
  });

  it('an unclosed block is an error naming the line', () => {
    expect(() => shellBlocks('y.md', 'text\n```sh\nkeywarden events\n')).toThrow(
      'y.md:2: a sh block is never closed',
    );
  });
});
