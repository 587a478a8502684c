import pino from 'pino';
import { afterEach, expect, it, vi } from 'vitest';
import type { Service } from '../../src/daemon/service.js';
import { ServiceSet, StoppedWhileStarting } from '../../src/daemon/service-set.js';

/**
 * The daemon's services start in order and stop in reverse (src/daemon/service-set.ts): fakes
 * that note what was done to them, in one shared journal.
 */

interface Fixture {
  journal: string[];
  logs: Array<{ msg: string; service?: string }>;
  set: ServiceSet;
  fake: (name: string, behaviour?: { failStart?: boolean; failStop?: boolean }) => Service;
}

function fixture(stopTimeoutMs?: number): Fixture {
  const journal: string[] = [];
  const logs: Fixture['logs'] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as Fixture['logs'][number]) },
  );
  const set = new ServiceSet(logger, stopTimeoutMs);
  return {
    journal,
    logs,
    set,
    fake: (name, behaviour = {}) => ({
      name,
      start() {
        journal.push(`start ${name}`);
        if (behaviour.failStart) throw new Error(`${name} cannot start`);
      },
      stop() {
        journal.push(`stop ${name}`);
        return behaviour.failStop ? Promise.reject(new Error(`${name} cannot stop`)) : undefined;
      },
    }),
  };
}

afterEach(() => void vi.useRealTimers());

/** A promise and the function that settles it (Promise.withResolvers needs Node 22). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

it('starts the services in the order given', async () => {
  const { set, fake, journal } = fixture();
  await set.startInOrder([fake('lock'), fake('database'), fake('readers')]);
  expect(journal).toEqual(['start lock', 'start database', 'start readers']);
});

it('hands back what a start returns, for the services built after it', async () => {
  const { set } = fixture();
  const database = await set.start({
    name: 'database',
    start: () => ({ path: 'a.db' }),
    stop() {},
  });
  expect(database).toEqual({ path: 'a.db' });
});

it('stops them in the reverse order, once however often stop is called', async () => {
  const { set, fake, journal } = fixture();
  await set.start(fake('lock'));
  await set.startInOrder([fake('database'), fake('readers')]);
  journal.length = 0;
  await Promise.all([set.stop(), set.stop()]);
  await set.stop();
  expect(journal).toEqual(['stop readers', 'stop database', 'stop lock']);
});

it('on a failed start stops the ones started, newest first, starts no more, and rethrows', async () => {
  const { set, fake, journal, logs } = fixture();
  const started = set.startInOrder([
    fake('lock'),
    fake('database'),
    fake('readers', { failStart: true }),
    fake('ready'),
  ]);
  await expect(started).rejects.toThrow('readers cannot start');
  expect(journal).toEqual([
    'start lock',
    'start database',
    'start readers',
    'stop database',
    'stop lock',
  ]);
  expect(logs).toContainEqual(
    expect.objectContaining({ msg: 'service failed to start', service: 'readers' }),
  );
});

it('a stop that fails is logged and the others still stop', async () => {
  const { set, fake, journal, logs } = fixture();
  await set.startInOrder([fake('lock'), fake('database', { failStop: true }), fake('readers')]);
  journal.length = 0;
  await set.stop();
  expect(journal).toEqual(['stop readers', 'stop database', 'stop lock']);
  expect(logs).toContainEqual(
    expect.objectContaining({ msg: 'service failed to stop', service: 'database' }),
  );
});

it('a stop that hangs is given up after the bound and the others still stop', async () => {
  vi.useFakeTimers();
  const { set, fake, journal, logs } = fixture(5_000);
  const hangs: Service = {
    name: 'broker link',
    start() {},
    stop: () => new Promise<void>(() => journal.push('stop broker link (never ends)')),
  };
  await set.startInOrder([fake('lock'), hangs, fake('readers')]);
  journal.length = 0;
  const stopped = set.stop();
  await vi.advanceTimersByTimeAsync(4_999);
  expect(journal).toEqual(['stop readers', 'stop broker link (never ends)']);
  await vi.advanceTimersByTimeAsync(1);
  await stopped;
  expect(journal.at(-1)).toBe('stop lock');
  expect(logs).toContainEqual(
    expect.objectContaining({ msg: 'service did not stop in time; stopping the next' }),
  );
});

it('a stop during a start waits for that start, stops it with the others, and starts no more', async () => {
  const { set, fake, journal } = fixture();
  const entered = deferred();
  const finish = deferred();
  const slow: Service = {
    name: 'simulator',
    start() {
      journal.push('start simulator');
      entered.resolve();
      return finish.promise;
    },
    stop: () => void journal.push('stop simulator'),
  };
  await set.start(fake('lock'));
  const starting = set.startInOrder([slow, fake('readers')]);
  await entered.promise;
  const stopped = set.stop();
  finish.resolve();
  await expect(starting).rejects.toBeInstanceOf(StoppedWhileStarting);
  await stopped;
  expect(journal).toEqual(['start lock', 'start simulator', 'stop simulator', 'stop lock']);
  await expect(set.start(fake('late'))).rejects.toBeInstanceOf(StoppedWhileStarting);
});
