import { hardwareDir } from '../paths.js';
import { describeOwner, probeDaemon } from './daemon-probe.js';
import { checkBroker } from './doctor-broker.js';
import { checkDatabase } from './doctor-database.js';
import { checkGpio } from './doctor-gpio.js';
import type { DoctorMachine } from './doctor-machine.js';
import { ok, warn, type CheckResult } from './doctor-report.js';
import { checkReadersTalking } from './doctor-readers.js';
import { checkGroups, checkReaders, checkSetup } from './doctor-setup.js';
import { checkClock, checkHardening } from './doctor-system.js';
import { OSDP_ONLINE_WAIT_MS } from './osdp-survey.js';

export interface DoctorOptions {
  configFile: string;
  machine: DoctorMachine;
  /** Where bare profile names are found; the package's hardware/ by default. */
  hardwareDir?: string;
}

/**
 * Every check, in the order an installer fixes things: the files, then the user and the
 * devices, the database, the network, the system. A check that needs the config is left out
 * when the config is invalid (its own line says why); the rest still run.
 */
export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const { machine } = options;
  const setup = checkSetup(options.configFile, options.hardwareDir ?? hardwareDir());
  const results = [...setup.results];
  if (setup.config !== undefined) {
    const { config, profile } = setup;
    const daemon = probeDaemon(config.database);
    results.push(
      daemon.running === true
        ? ok('daemon', `running: ${describeOwner(daemon.owner)}`)
        : daemon.running === false
          ? warn(
              'daemon',
              'not running',
              'sudo systemctl start keywarden, once the FAIL lines are fixed',
            )
          : warn('daemon', `unknown: ${daemon.reason}`),
      checkGroups(profile, machine),
    );
    const readers = checkReaders(profile, machine);
    results.push(
      ...readers,
      ...(await checkReadersTalking({
        config,
        profile,
        daemonRunning: daemon.running,
        // A reader whose device is missing or closed to this user has its line already.
        usable: new Set(
          ['badge', 'fob'].filter(
            (role) => readers.find((r) => r.check === `${role} reader`)?.status === 'ok',
          ),
        ),
        waitMs: machine.readerWaitMs ?? OSDP_ONLINE_WAIT_MS,
      })),
      ...checkGpio(profile, machine, daemon.running === true),
      ...checkDatabase(config.database, machine),
      await checkBroker(config, machine.brokerTimeoutMs),
    );
  }
  results.push(checkClock(machine), checkHardening(machine));
  return results;
}
