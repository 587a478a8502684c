import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDir } from './mosquitto-users.js';
import { accepts, freePort } from './ports.js';
import { waitFor } from './wait-for.js';

/**
 * A real RabbitMQ with its MQTT plugin (Debian's rabbitmq-server), run as a plain child process
 * of the test on loopback ports, never the system service: its own node name, its own epmd (on
 * its own port, started here so that it ends with the test instead of lingering as a daemon),
 * its own database, config, plugin list, logs and Erlang cookie in a temporary directory.
 * Starting one takes about 10 s on a loaded machine: keep it to one per test file.
 */
export interface RabbitBroker {
  /** mqtt://127.0.0.1:<mqttPort> */
  url: string;
  mqttPort: number;
  dir: string;
  /** SIGTERM to the node and to its epmd; waits for both to exit. */
  stop(): Promise<void>;
}

export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const EPMD = existsSync('/usr/bin/epmd') ? '/usr/bin/epmd' : 'epmd';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export function rabbitmqInstalled(): boolean {
  return existsSync(RABBITMQ_SERVER);
}

interface Child {
  name: string;
  child: ChildProcess;
  exited: Promise<string>;
  output: () => string;
}

export async function startRabbitMq(): Promise<RabbitBroker> {
  installCleanup();
  const dir = temporaryDir('keywarden-rabbitmq-');
  const [mqttPort, epmdPort, distPort] = [await freePort(), await freePort(), await freePort()];
  // The AMQP listener is off: the tests speak MQTT only, and it would need one more port.
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      '# Written by test/support/rabbitmq.ts',
      'listeners.tcp = none',
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      // Anonymous MQTT clients log in as the default guest user, which RabbitMQ lets in from
      // loopback only: these listeners are loopback only.
      'mqtt.allow_anonymous = true',
      'log.console = false',
      'log.file.level = info',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  // rabbitmq-env sources this file (default /etc/rabbitmq/rabbitmq-env.conf): ours is empty.
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  mkdirSync(join(dir, 'log'));

  const env = {
    ...process.env,
    // The Erlang cookie is created in $HOME: a throwaway one, never the user's.
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_NODENAME: `keywarden-test-${process.pid}-${mqttPort}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_BASE: dir,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    // The node must not start an epmd of its own: that one would outlive the test as a daemon.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-start_epmd false',
  };
  const epmd = launch('epmd', EPMD, ['-port', String(epmdPort)], env);
  await waitFor(() => accepts(epmdPort), `epmd on port ${epmdPort}`, 10_000).catch(
    async (error: unknown) => {
      await end(epmd);
      throw error;
    },
  );
  const node = launch('rabbitmq-server', RABBITMQ_SERVER, [], env);
  let exitReason: string | undefined;
  void node.exited.then((reason) => (exitReason = reason));
  try {
    await waitFor(
      async () => exitReason !== undefined || (await accepts(mqttPort)),
      `RabbitMQ's MQTT listener on port ${mqttPort}`,
      START_TIMEOUT_MS,
    );
    if (exitReason !== undefined) throw new Error(`rabbitmq-server ${exitReason}`);
  } catch (error) {
    await Promise.all([end(node), end(epmd)]);
    throw new Error(
      `${String(error)}\n--- output ---\n${node.output()}\n--- log (tail) ---\n${logTail(dir)}`,
      { cause: error },
    );
  }
  return {
    url: `mqtt://127.0.0.1:${mqttPort}`,
    mqttPort,
    dir,
    async stop() {
      await end(node);
      await end(epmd);
    },
  };
}

function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });
  const running = { name, child, exited, output: () => output };
  live.add(running);
  void exited.then(() => live.delete(running));
  return running;
}

/** SIGTERM (the Erlang node then stops in order), SIGKILL if it has not exited in time. */
async function end(running: Child): Promise<void> {
  if (!live.has(running)) return;
  running.child.kill('SIGTERM');
  const gone = await waitFor(() => !live.has(running), `${running.name} to exit`, STOP_TIMEOUT_MS)
    .then(() => true)
    .catch(() => false);
  if (!gone) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
}

/** The end of the node's log (<dir>/log/<node name>.log). */
function logTail(dir: string): string {
  try {
    const log = join(dir, 'log');
    const file = readdirSync(log).find((name) => name.endsWith('.log'));
    return file === undefined
      ? '(no log file)'
      : readFileSync(join(log, file), 'utf8').slice(-3000);
  } catch {
    return '(no log file)';
  }
}

// --- Never leak a node ------------------------------------------------------------------
// As in mosquitto.ts: a test that fails before its afterAll, or a worker torn down with
// SIGTERM, still ends the node and its epmd.

const live = new Set<Child>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = (): void => {
    for (const { child } of live) child.kill('SIGKILL');
    live.clear();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
