import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

export const configCommands: Command[] = [
  {
    path: ['config', 'check'],
    summary: 'validate the config file and the hardware profile it names',
    usage: 'config check [--config <file>]',
    run(args, io) {
      const { config, profile } = loadSetup(args);
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
