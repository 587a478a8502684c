import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { scheduleStartReconciliation } from '../../src/daemon/start-reconciliation.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

it('runs once, after the fob reader is online and its reports have had time to arrive', async () => {
  const fob = new EventEmitter();
  const run = vi.fn();
  const start = scheduleStartReconciliation({ fobReader: fob, run, settleMs: 750 });
  vi.advanceTimersByTime(1_000);
  expect(run).not.toHaveBeenCalled();
  fob.emit('online');
  vi.advanceTimersByTime(749);
  expect(run).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(run).toHaveBeenCalledTimes(1);
  await start.finished;
  fob.emit('online'); // the reader coming back later is no new start
  vi.advanceTimersByTime(10_000);
  expect(run).toHaveBeenCalledTimes(1);
});

it('runs on the switches alone when the fob reader never comes online', async () => {
  const run = vi.fn();
  const start = scheduleStartReconciliation({
    fobReader: new EventEmitter(),
    run,
    fallbackMs: 5_000,
  });
  vi.advanceTimersByTime(4_999);
  expect(run).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(run).toHaveBeenCalledTimes(1);
  await start.finished;
});

it('a stop during start cancels it and releases whoever waits', async () => {
  const run = vi.fn();
  const start = scheduleStartReconciliation({ fobReader: new EventEmitter(), run });
  start.cancel();
  await start.finished;
  vi.advanceTimersByTime(60_000);
  expect(run).not.toHaveBeenCalled();
});
