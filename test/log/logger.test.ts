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

it('never writes a fob tag in full either (the drivers log tags raw), and keeps an empty slot null', () => {
  const out = capture();
  const logger = createLogger({ pretty: false, destination: out.stream });
  logger.info({ slot: 3, tag: '4400F1A2B3' }, 'fob reading');
  logger.info({ fob: { slot: 4, tag: 'C0FFEE12' }, empty: { slot: 5, tag: null } }, 'fobs');
  const text = out.text();
  expect(text).toContain('"tag":"…A2B3"');
  expect(text).toContain('"tag":"…EE12"');
  expect(text).toContain('"empty":{"slot":5,"tag":null}');
  expect(text).not.toContain('4400F1A2B3');
  expect(text).not.toContain('C0FFEE12');
});
