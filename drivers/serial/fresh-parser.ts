import type { Transform } from 'node:stream';
import type { ReaderPort } from './reader-port.js';

/**
 * Feeds a ReaderPort's bytes into a parser that is replaced on every (re)open, so half a
 * frame from before an unplug can never merge with bytes that arrive after it. The old
 * parser is ended, which lets it report its leftovers as garbled. Returns a function that
 * detaches from the port.
 */
export function feedFreshParser(port: ReaderPort, create: () => Transform): () => void {
  let parser: Transform | null = null;
  const retire = (): void => {
    parser?.end();
    parser = null;
  };
  const onOnline = (): void => {
    retire();
    parser = create();
  };
  const onData = (chunk: Buffer): void => {
    parser ??= create();
    parser.write(chunk);
  };
  port.on('online', onOnline);
  port.on('offline', retire);
  port.on('data', onData);
  return () => {
    port.off('online', onOnline);
    port.off('offline', retire);
    port.off('data', onData);
    retire();
  };
}
