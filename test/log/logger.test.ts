import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

it('never writes a card number in full, at the top level or one level down, and hides passwords', () => {
  const out = capture();
  const logger = createLogger({ pretty: false, destination: out.stream }).child({ module: 'test' });
  logger.info({ card: '100086F444' }, 'badge');
  logger.warn({ read: { card: '0008844356' }, mqtt: { password: 's3cret' } }, 'nested');
  const text = out.text();
  expect(text).toContain('"card":"…F444"');
  expect(text).toContain('"card":"…4356"');
  expect(text).not.toContain('100086F444');
  expect(text).not.toContain('0008844356');
  expect(text).not.toContain('s3cret');
  expect(text).toContain('"module":"test"');
});
