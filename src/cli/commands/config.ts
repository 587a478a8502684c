import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

export const configCommands: Command[] = [
  {
    path: ['config', 'check'],
    summary: 'validate the config file and the hardware profile it names',
    usage: 'config check [--config <file>]',
    async run(args, io) {
      const { config, profile } = loadSetup(args);
      // What `run` refuses of a config that its schema accepts is refused here too: a check that
      // says "valid" for a file the daemon then stops on (exit 78) sends the installer's next
      // step, `systemctl start`, into a failure the check was there to prevent.
      const { assertTransportAllowed } = await import('../../mqtt/transport-security.js');
      assertTransportAllowed(config);
      io.out(`${config.file}: valid (cabinet ${config.cabinetId})`);
      io.out(`${profile.file}: valid (${profile.model}, ${profile.slotCount} slots)`);
    },
  },
  {
    path: ['config', 'schema'],
    summary: 'print the JSON Schema of the config file',
    usage: 'config schema',
    async run(_args, io) {
      // Loaded here only: the schema module brings TypeBox, which no other command needs.
      const { configSchemaJson } = await import('../../config/config-schema.js');
      io.out(JSON.stringify(configSchemaJson(), null, 2));
    },
  },
];
