import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';

/**
 * The attacker of the command-flood benchmark, in a process of its own so that its work does
 * not share the daemon's event loop: unsigned `ping` commands on the cabinet's `cmd/ping`, QoS 1,
 * at a steady rate for a while, then one JSON line on stdout: `{"sent": N, "seconds": S}`.
 *
 *   node flood-publisher.js <brokerUrl> <cabinetId> <perSecond> <seconds>
 */
const [url, cabinetId, perSecondText, secondsText] = process.argv.slice(2);
if (!url || !cabinetId || !perSecondText || !secondsText) {
  process.stderr.write('usage: flood-publisher <brokerUrl> <cabinetId> <perSecond> <seconds>\n');
  process.exit(2);
}
const perSecond = Number(perSecondText);
const seconds = Number(secondsText);
const topic = `keywarden/v1/${cabinetId}/cmd/ping`;
/** Small steps: 1,000 a second goes out as 10 every 10 ms, not 1,000 at once. */
const STEP_MS = 10;

function unsignedPing(): string {
  const now = Date.now();
  return JSON.stringify({
    id: randomUUID(),
    name: 'ping',
    cabinetId,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 60_000).toISOString(),
    keyId: 'central-1',
    counter: now,
    args: {},
  });
}

const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: 'flood' });
const started = performance.now();
let sent = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsed = performance.now() - started;
    // Catch up to where the rate says we should be, so a late timer does not lower the rate.
    const due = Math.min(Math.floor((elapsed / 1000) * perSecond), perSecond * seconds);
    for (; sent < due; sent++) client.publish(topic, unsignedPing(), { qos: 1 });
    if (sent >= perSecond * seconds) {
      clearInterval(timer);
      resolve();
    }
  }, STEP_MS);
});
const elapsedSeconds = (performance.now() - started) / 1000;
await client.endAsync();
process.stdout.write(`${JSON.stringify({ sent, seconds: elapsedSeconds })}\n`);
