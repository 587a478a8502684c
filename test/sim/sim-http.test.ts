import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { loadProfile } from '../../src/config/profile.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { SimCabinet } from '../../src/sim/sim-cabinet.js';
import { SimHttpServer } from '../../src/sim/sim-http.js';

const profile = loadProfile('sim', hardwareDir());
let gpio: SimGpioDriver;
let ports: SimPortRegistry;
let server: SimHttpServer;
let base: string;
let hardware: ReturnType<typeof claimHardware>;

beforeEach(async () => {
  gpio = new SimGpioDriver({ logger: silentLogger() });
  ports = new SimPortRegistry();
  hardware = claimHardware(gpio, profile, silentLogger());
  const sim = new SimCabinet(profile, gpio, ports);
  sim.preload(new Map([[1, 'A000000001']]));
  server = new SimHttpServer(sim, silentLogger());
  const address = await server.listen('127.0.0.1', 0);
  base = `http://127.0.0.1:${address.port}`;
});

afterEach(() => server.close());

async function call(
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(base + path, {
    method,
    body: body ?? null,
    headers: { 'content-type': 'application/json' },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Opens the simulated port as the daemon's reader would; resolves with what it receives. */
async function received(path: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const port = ports.get(path);
  port.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return chunks;
}

describe('simulator control interface', () => {
  it('GET /state shows the door, indicators and every slot with its fob and solenoid', async () => {
    const { status, json } = await call('GET', '/state');
    expect(status).toBe(200);
    expect(json.door).toEqual({ open: false, unlocked: false });
    expect((json.slots as unknown[]).length).toBe(12);
    expect((json.slots as unknown[])[0]).toEqual({
      slot: 1,
      tag: 'A000000001',
      keyPresent: true,
      solenoid: false,
    });
    expect(gpio.inputs().find((i) => i.name === 'slot1.keyPresent')?.on).toBe(true);
  });

  it('POST /badge sends the card as RDM6300 wire bytes on the simulated badge reader', async () => {
    const bytes = await received('sim:badge');
    expect((await call('POST', '/badge', '{"card":"100086F444"}')).status).toBe(200);
    expect(Buffer.concat(bytes)).toEqual(encodeRdm6300('100086F444'));
    expect(encodeRdm6300('100086F444').toString('hex')).toBe('0231303030383646343434323603');
  });

  it('a locked door or slot refuses with 409 unless forced, like the real cabinet', async () => {
    expect(await call('POST', '/door', '{"action":"open"}')).toMatchObject({ status: 409 });
    expect((await call('POST', '/door', '{"action":"force"}')).status).toBe(200);
    expect(gpio.inputs().find((i) => i.name === 'door.sensor')?.on).toBe(true);
    expect(await call('POST', '/slots/1/take', '{}')).toMatchObject({ status: 409 });
    const fob = await received('sim:fob');
    expect((await call('POST', '/slots/1/take', '{"force":true}')).status).toBe(200);
    expect(Buffer.concat(fob).toString()).toBe('S01:-\r\n');
    expect(gpio.inputs().find((i) => i.name === 'slot1.keyPresent')?.on).toBe(false);
  });

  it('a released slot gives its key without force', async () => {
    hardware.outputs.doorLock.write(true);
    hardware.outputs.solenoids.release(1, 5_000);
    await call('POST', '/door', '{"action":"open"}');
    expect((await call('POST', '/slots/1/take')).status).toBe(200);
    expect((await call('POST', '/slots/1/insert', '{}')).json.slots).toContainEqual(
      expect.objectContaining({ slot: 1, tag: 'A000000001' }),
    );
    hardware.outputs.solenoids.lockAll();
  });

  it('rejects bad requests with a status and a reason, changing nothing', async () => {
    expect(await call('POST', '/badge', '{not json')).toMatchObject({ status: 400 });
    expect(await call('POST', '/badge', '{"card":""}')).toMatchObject({
      status: 400,
      json: { error: 'card: must be a non-empty string' },
    });
    expect(await call('POST', '/door', '{"action":"fly"}')).toMatchObject({ status: 400 });
    expect(await call('POST', '/slots/99/take', '{}')).toMatchObject({ status: 409 });
    expect(await call('DELETE', '/state')).toMatchObject({ status: 404 });
    await call('POST', '/door', '{"action":"force"}');
    expect(await call('POST', '/slots/5/insert', '{"tag":"XYZ"}')).toMatchObject({ status: 400 });
    expect(gpio.inputs().find((i) => i.name === 'slot5.keyPresent')?.on).toBe(false);
    await call('POST', '/door', '{"action":"close"}');
    expect(await call('POST', '/badge', JSON.stringify({ card: 'x'.repeat(5000) }))).toMatchObject({
      status: 413,
    });
    expect((await call('GET', '/state')).json.door).toEqual({ open: false, unlocked: false });
  });
});

describe('POST /inputs/<name>', () => {
  it('drives the profile’s optional contacts and shows them in the state', async () => {
    const changes: boolean[] = [];
    hardware.contacts.tamper?.onChange((active) => changes.push(active));
    const on = await call('POST', '/inputs/tamper', '{"active":true}');
    expect(on.status).toBe(200);
    expect(on.json.inputs).toEqual({ tamper: true, powerFail: false, emergency: false });
    await call('POST', '/inputs/tamper', '{"active":false}');
    expect(changes).toEqual([true, false]);
  });

  it('refuses an unknown input and a missing state, changing nothing', async () => {
    expect((await call('POST', '/inputs/smoke', '{"active":true}')).status).toBe(404);
    const bad = await call('POST', '/inputs/emergency', '{"active":"yes"}');
    expect(bad).toEqual({ status: 400, json: { error: 'active: must be true or false' } });
    expect((await call('GET', '/state')).json.inputs).toEqual({
      tamper: false,
      powerFail: false,
      emergency: false,
    });
  });
});
