import type { Logger } from '../../log/logger.js';
import {
  ClockFloorWriter,
  clockFloorFileOf,
  readClockFloor,
} from '../../platform/clock-floor-file.js';
import type { FlooredClock } from '../../platform/floored-clock.js';
import type { Service } from '../service.js';

/** Often enough that a restart loses at most a minute of the floor; rare enough for an SD card. */
const SAVE_EVERY_MS = 60_000;

/**
 * Keeps the floor of the wall clock (src/platform/floored-clock.ts) across restarts: raised to
 * the saved floor before anything decides with the clock, saved every minute and at stop.
 * A wall clock found behind the saved floor at start is logged as an error: the clock was set
 * back while the daemon was down (or the Pi booted without a network to set it), and until it
 * catches up every decision uses the floor.
 */
export function clockFloorService(options: {
  clock: FlooredClock;
  database: string;
  logger: Logger;
}): Service {
  const { clock, logger } = options;
  const file = clockFloorFileOf(options.database);
  let timer: NodeJS.Timeout | undefined;
  // Held open for the daemon's life: each save overwrites one block of the file in place.
  const writer = file ? new ClockFloorWriter(file) : undefined;
  const save = () => {
    if (!file || !writer) return;
    try {
      writer.save(clock.floorMs());
    } catch (error) {
      logger.warn({ err: error, file }, 'could not save the floor of the wall clock');
    }
  };
  return {
    name: 'clock floor',
    start() {
      if (!file) return;
      raiseToSaved(clock, file, logger);
      save();
      timer = setInterval(save, SAVE_EVERY_MS);
      // Saving the floor is no reason to keep a stopping process alive.
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      save();
      writer?.close();
    },
  };
}

function raiseToSaved(clock: FlooredClock, file: string, logger: Logger): void {
  let saved: number | undefined;
  try {
    saved = readClockFloor(file);
  } catch (error) {
    // Whoever can damage this file can delete it: treat it as missing, and say so.
    logger.error({ err: error, file }, 'the saved floor of the wall clock is unreadable; ignored');
    return;
  }
  if (saved === undefined) return;
  clock.raiseTo(saved);
  const behindMs = clock.behindMs();
  if (behindMs === 0) return;
  logger.error(
    {
      wallTime: new Date(clock.raw.wallMs()).toISOString(),
      floorTime: new Date(saved).toISOString(),
      behindMs,
    },
    'the wall clock is behind the latest time this cabinet has seen; ' +
      'validity, schedules, command expiry and pruning use that time until the clock catches up',
  );
}
