import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import type { BenchCabinet } from './bench-cabinet.js';
import type { SolenoidWatch } from './solenoid-watch.js';
import { pollUntil, waitUntil } from './wait.js';

/**
 * Waits until the daemon is as it would be in service: connected to the broker, every fob
 * known in its slot, and the badge reader open and releasing. The readers open asynchronously
 * and the daemon does not expose when, so each is proven by its effect, with retries: bytes
 * written before a reader is open may be lost.
 */
export async function waitForCabinet(
  cabinet: BenchCabinet,
  watch: SolenoidWatch,
  probeCards: readonly string[],
): Promise<void> {
  const { daemon } = cabinet;
  await waitUntil(() => daemon.mqtt.connected, 'the daemon to connect to Mosquitto', 10_000);

  let fobsKnown = false;
  for (let attempt = 0; attempt < 20 && !fobsKnown; attempt++) {
    await cabinet.announceFobs();
    fobsKnown = await pollUntil(() => cabinet.fobsKnown(), 250, 10);
  }
  if (!fobsKnown) throw new Error('the fob reader never reported the keys in their slots');

  // A different card per attempt, so a late first read is not merged with the next.
  for (const card of probeCards) {
    const released = watch.next(250);
    await cabinet.badge.write(encodeRdm6300(card), 'async');
    if ((await released) !== null) return;
  }
  throw new Error('no badge released a solenoid: the badge reader never came online');
}
