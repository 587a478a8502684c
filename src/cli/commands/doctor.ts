import type { Command } from '../command.js';
import { configPath } from '../context.js';
import { EXIT } from '../exit-codes.js';

/**
 * Checks the cabinet's set-up and explains each problem with its fix. Changes nothing: it reads
 * files, runs `timedatectl` and `systemctl show`, connects to the broker without publishing,
 * and with the daemon stopped opens the readers' ports (asking an OSDP reader for its ID).
 */
export const doctorCommand: Command = {
  path: ['doctor'],
  summary:
    'check the config, devices, database, broker, clock and sandbox; one line each with its fix',
  usage: 'doctor [--config <file>] [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    // Loaded here only: the checks bring the MQTT client, which `keywarden run` loads late on
    // purpose (a refused second daemon must not load it: test/daemon/one-daemon-per-cabinet).
    const [{ runDoctor }, { realMachine }, { anyFailed, formatCheck }] = await Promise.all([
      import('../../maintenance/doctor.js'),
      import('../../maintenance/doctor-machine.js'),
      import('../../maintenance/doctor-report.js'),
    ]);
    const results = await runDoctor({ configFile: configPath(args), machine: realMachine() });
    if (args.values.json === true) io.out(JSON.stringify(results, null, 2));
    else for (const result of results) io.out(formatCheck(result));
    return anyFailed(results) ? EXIT.failed : EXIT.ok;
  },
};
