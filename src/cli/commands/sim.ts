import { KeywardenError } from '../../errors.js';
import { positiveInt, type Command, type OptionSpec } from '../command.js';
import { loadSetup } from '../context.js';
import type { ParsedArgs } from '../command.js';

const URL_OPT: OptionSpec = { url: { type: 'string' } };

/** Talks to a running daemon's simulator control interface (docs/simulator.md). */
async function call(
  args: ParsedArgs,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<unknown> {
  const base =
    typeof args.values.url === 'string'
      ? args.values.url
      : (() => {
          const { config } = loadSetup(args);
          return `http://${config.sim.host}:${config.sim.port}`;
        })();
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new Error(
      `${base}: the simulator is not reachable (is the daemon running?): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const json = (await response.json()) as { error?: string };
  if (!response.ok) throw new KeywardenError('CONFLICT', json.error ?? `HTTP ${response.status}`);
  return json;
}

export const simCommands: Command[] = [
  {
    path: ['sim', 'state'],
    summary: 'show the simulated cabinet: door, slots, outputs',
    usage: 'sim state [--url <http://host:port>]',
    options: URL_OPT,
    async run(args, io) {
      io.out(JSON.stringify(await call(args, 'GET', '/state'), null, 2));
    },
  },
  {
    path: ['sim', 'badge'],
    summary: 'present a card at the simulated badge reader',
    usage: 'sim badge <card> [--url …]',
    positionals: ['card'],
    options: URL_OPT,
    async run(args, io) {
      await call(args, 'POST', '/badge', { card: args.positionals[0] });
      io.out('card presented');
    },
  },
  {
    path: ['sim', 'keypad'],
    summary: "type on the simulated reader's keypad: a PIN or reason code ended by #, or *",
    usage: 'sim keypad <digits#|*> [--url …]',
    positionals: ['keys'],
    options: URL_OPT,
    async run(args, io) {
      await call(args, 'POST', '/keypad', { keys: args.positionals[0] });
      io.out('keys typed');
    },
  },
  {
    path: ['sim', 'input'],
    summary: 'make an optional input active (on) or normal (off): tamper, powerFail, emergency',
    usage: 'sim input tamper|powerFail|emergency on|off [--url …]',
    positionals: ['name', 'state'],
    options: URL_OPT,
    async run(args, io) {
      const [name, state] = args.positionals;
      if (state !== 'on' && state !== 'off')
        throw new KeywardenError('USAGE', `state: must be on or off, not ${String(state)}`);
      await call(args, 'POST', `/inputs/${String(name)}`, { active: state === 'on' });
      io.out(`${String(name)}: ${state}`);
    },
  },
  {
    path: ['sim', 'reader'],
    summary: "pull the simulated OSDP badge reader's cable (unplug), or plug it back",
    usage: 'sim reader unplug|plug [--url …]',
    positionals: ['action'],
    options: URL_OPT,
    async run(args, io) {
      const action = args.positionals[0];
      if (action !== 'unplug' && action !== 'plug')
        throw new KeywardenError('USAGE', `action: must be unplug or plug, not ${String(action)}`);
      await call(args, 'POST', '/reader', { connected: action === 'plug' });
      io.out(`reader: ${action === 'plug' ? 'plugged in' : 'unplugged'}`);
    },
  },
  {
    path: ['sim', 'door'],
    summary: 'open, force or close the simulated door',
    usage: 'sim door open|force|close [--url …]',
    positionals: ['action'],
    options: URL_OPT,
    async run(args, io) {
      await call(args, 'POST', '/door', { action: args.positionals[0] });
      io.out(`door: ${args.positionals[0]}`);
    },
  },
  {
    path: ['sim', 'take'],
    summary: 'take the key from a slot (--force pulls it from a locked slot)',
    usage: 'sim take <slot> [--force] [--url …]',
    positionals: ['slot'],
    options: { ...URL_OPT, force: { type: 'boolean' } },
    async run(args, io) {
      const slot = positiveInt(args.positionals[0], 'slot');
      await call(args, 'POST', `/slots/${slot}/take`, { force: args.values.force === true });
      io.out(`took the key from slot ${slot}`);
    },
  },
  {
    path: ['sim', 'insert'],
    summary: 'put a fob into a slot (default: the one last taken from it)',
    usage: 'sim insert <slot> [--tag <fob-tag>] [--url …]',
    positionals: ['slot'],
    options: { ...URL_OPT, tag: { type: 'string' } },
    async run(args, io) {
      const slot = positiveInt(args.positionals[0], 'slot');
      const tag = args.values.tag;
      await call(args, 'POST', `/slots/${slot}/insert`, typeof tag === 'string' ? { tag } : {});
      io.out(`fob inserted into slot ${slot}`);
    },
  },
];
