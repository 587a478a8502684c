import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { validateMessage } from '../../src/contract/schemas.js';
import { verifyCommandSignature, type SignedCommand } from '../../src/contract/signed-command.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { CommandSigner, readPrivateKey } from '../../src/reference-server/command-signer.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { CLI } from '../support/daemon-process.js';
import { FakeClock } from '../support/fake-clock.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait-for.js';

describe('keywarden keys generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-keys-'));

  it('writes an Ed25519 pair and prints a config snippet the config accepts', async () => {
    const result = await runCli(['keys', 'generate', '--out', join(dir, 'keys'), '--id', 'ops-1']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const privateFile = join(dir, 'keys', 'ops-1.key.pem');
    const publicFile = join(dir, 'keys', 'ops-1.pub.pem');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    const snippet = JSON.parse(/^\{[\s\S]*^\}$/m.exec(result.out)?.[0] ?? '{}') as {
      commands: { keys: Array<{ id: string; publicKey: string }> };
    };
    expect(snippet.commands.keys).toEqual([
      { id: 'ops-1', publicKey: readFileSync(publicFile, 'utf8') },
    ]);
    const config = parseConfig(
      { version: 1, cabinetId: 'cab-1', profile: 'sim', ...snippet },
      '/tmp/c.json',
    );
    expect(config.commands.keys[0]?.id).toBe('ops-1');

    // What the monitor signs with the private key verifies with the public one.
    const signer = new CommandSigner({ privateKey: readPrivateKey(privateFile), keyId: 'ops-1' });
    const command = signer.sign('cab-1', 'ping', {});
    expect(verifyCommandSignature(command, readFileSync(publicFile, 'utf8'))).toBe(true);
    expect(validateMessage('command', command)).toEqual([]);
  });

  it('never overwrites a key, and refuses an id the config would refuse', async () => {
    const again = await runCli(['keys', 'generate', '--out', join(dir, 'keys'), '--id', 'ops-1']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists already/);
    const bad = await runCli(['keys', 'generate', '--out', dir, '--id', 'ops/1']);
    expect(bad.code).toBe(2);
    expect((await runCli(['keys', 'generate'])).code).toBe(2);
  });
});

describe('keywarden monitor (the built CLI against a real broker)', () => {
  const CAB = 'cli-cab';
  const keyDir = mkdtempSync(join(tmpdir(), 'keywarden-monitor-cli-'));
  let broker: Broker;
  let cabinet: MqttClient;
  let child: ChildProcess;
  const lines: Array<Record<string, unknown>> = [];
  const acks: number[] = [];
  const commands: SignedCommand[] = [];
  let events: RecordedEvent[];

  beforeAll(async () => {
    broker = await startMosquitto();
    expect((await runCli(['keys', 'generate', '--out', keyDir, '--id', 'cli-test'])).code).toBe(0);
    // Plays the cabinet: six chained events from the real EventLog.
    const log = new EventLog(openDatabase(':memory:'), CAB, new FakeClock());
    events = Array.from({ length: 6 }, () =>
      log.append([{ type: 'door.forced', data: {} }]),
    ).flat();
    cabinet = mqtt.connect(broker.url, { protocolVersion: 5 });
    await new Promise<void>((resolve) => cabinet.once('connect', () => resolve()));
    cabinet.on('message', (topic, payload) => {
      if (topic.endsWith('/ack'))
        acks.push((JSON.parse(payload.toString()) as { seq: number }).seq);
      else commands.push(JSON.parse(payload.toString()) as SignedCommand);
    });
    await cabinet.subscribeAsync([`keywarden/v1/${CAB}/ack`, `keywarden/v1/${CAB}/cmd/+`], {
      qos: 1,
    });
    const status = {
      state: 'online',
      cabinetId: CAB,
      version: '0.1.0',
      startedAt: '2026-11-24T09:00:00.000Z',
      outboxDepth: 0,
      lastAckedSeq: 0,
    };
    await cabinet.publishAsync(`keywarden/v1/${CAB}/status`, JSON.stringify(status), {
      qos: 1,
      retain: true,
    });

    child = spawn(process.execPath, [
      CLI,
      'monitor',
      '--url',
      broker.url,
      '--json',
      '--signing-key',
      join(keyDir, 'cli-test.key.pem'),
      '--key-id',
      'cli-test',
    ]);
    createInterface({ input: child.stdout! }).on('line', (line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    );
    await waitFor(() => lines.some((l) => l.kind === 'status'), 'the monitor to see the status');
  }, 30_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await cabinet?.endAsync(true);
    await broker?.stop();
  });

  const publish = (event: RecordedEvent) =>
    cabinet.publishAsync(`keywarden/v1/${CAB}/event/${event.type}`, JSON.stringify(event), {
      qos: 1,
    });

  it('prints each event once, acknowledges, and asks for a signed replay of a gap', async () => {
    const [e1, e2, e3, e4, e5, e6] = events as [RecordedEvent, ...RecordedEvent[]];
    await cabinet.publishAsync(`keywarden/v1/${CAB}/event/door.forced`, 'not JSON', { qos: 1 });
    for (const event of [e1, e2, e2, e4, e5]) await publish(event!); // 2 twice, 3 lost
    await waitFor(() => acks.includes(2), 'an acknowledgement of 2');
    await waitFor(() => commands.length > 0, 'a replay command', 10_000);
    const replay = commands[0]!;
    expect(replay).toMatchObject({
      name: 'replay',
      cabinetId: CAB,
      keyId: 'cli-test',
      args: { fromSeq: 3 },
    });
    const publicKey = createPublicKey(readFileSync(join(keyDir, 'cli-test.pub.pem'), 'utf8'));
    expect(verifyCommandSignature(replay, publicKey)).toBe(true);
    expect(validateMessage('command', replay)).toEqual([]);

    for (const event of [e3, e4, e5, e6]) await publish(event!); // what the replay sends
    await waitFor(() => acks.includes(6), 'an acknowledgement of 6');
    const printed = lines
      .filter((l) => l.kind === 'event')
      .map((l) => (l.event as RecordedEvent).seq);
    expect([...printed].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.filter((l) => l.kind === 'gap')).toEqual([
      { cabinetId: CAB, kind: 'gap', from: 3, to: 3 },
    ]);
    expect(lines.filter((l) => l.kind === 'chain')).toEqual([]);
    // The garbage message was reported, and changed nothing.
    expect(lines.filter((l) => l.kind === 'invalid')).toEqual([
      expect.objectContaining({ topic: `keywarden/v1/${CAB}/event/door.forced` }),
    ]);
  });

  it('stops on SIGTERM with exit status 0', async () => {
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('keywarden monitor: usage', () => {
  it('needs --url, and --signing-key and --key-id together', async () => {
    expect((await runCli(['monitor'])).code).toBe(2);
    const half = await runCli(['monitor', '--url', 'mqtt://127.0.0.1:1', '--key-id', 'x']);
    expect(half.code).toBe(2);
    expect(half.err).toMatch(/--signing-key and --key-id go together/);
  });
});
