import type { CabinetRunner } from '../cabinet-runner.js';
import type { ClockStepWatch } from '../clock-step-watch.js';
import type { ServiceManagerLink } from '../service-manager.js';
import type { Service } from '../service.js';

/**
 * The cabinet's tick: its timers (relock, door alarms, wrong-slot pulses, due times) move only
 * when the flow is fed one. One timer does three things in this order: a wall-clock step is
 * reported before the tick that would act on the new time, and the watchdog is pinged only
 * while this loop runs, so systemd notices a cabinet whose timers have stopped.
 */
export function cabinetTickService(options: {
  runner: CabinetRunner;
  clockWatch: ClockStepWatch;
  watchdog: Pick<ServiceManagerLink, 'tick'>;
  tickMs: number;
}): Service {
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'cabinet tick',
    start() {
      const { runner, clockWatch, watchdog } = options;
      timer = setInterval(() => {
        clockWatch.check();
        runner.handle({ kind: 'tick' });
        watchdog.tick();
      }, options.tickMs);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
