import { setTimeout as delay } from 'node:timers/promises';
import type { InputPin, OutputPin } from '../../drivers/gpio/gpio.js';
import type { SolenoidBank } from '../../drivers/gpio/solenoid-bank.js';
import type { FobRead } from '../../drivers/serial/fob-reader.js';
import { maskCard } from '../domain/mask-card.js';
import { InputEnded, type Answer, type Prompter } from './prompter.js';
import { stepName, type SelftestStep } from './selftest-plan.js';

/** What the self test drives and reads: the claimed pins and the two readers. */
export interface BenchCabinet {
  solenoids: SolenoidBank;
  keyPresent: readonly InputPin[];
  doorLock: OutputPin;
  doorSensor: InputPin;
  indicators: { green: OutputPin; red: OutputPin; buzzer: OutputPin };
  badge: OneArgEvents<{ card: string }> & { readonly isOnline: boolean };
  fob: OneArgEvents<FobRead>;
}

export interface SelftestTiming {
  /** How long each solenoid is energised: long enough to hear, well inside maxOnMs. */
  pulseMs: number;
  /** How long the door lock is released for the installer to pull the door. */
  doorReleaseMs: number;
  /** How long an indicator stays on. */
  indicatorMs: number;
  /** How long to wait for a badge, a fob, the door to move. */
  waitMs: number;
  /** The rest between two solenoid pulses (the profile's minOffMs, so the supply recovers). */
  restMs: number;
}

export type Verdict = 'pass' | 'fail' | 'skipped';

export interface StepResult {
  step: string;
  verdict: Verdict;
  detail: string;
}

/**
 * Runs the steps one at a time, asking the installer what only a person can tell (did it click,
 * did it light) and reading back what the cabinet can tell itself (the key switch, the door
 * contact, the readers). One output at a time: a solenoid is released through the bank, which
 * holds the profile's power budget, and every output is off again before the next step.
 */
export async function runSelftest(
  steps: readonly SelftestStep[],
  bench: BenchCabinet,
  prompter: Prompter,
  timing: SelftestTiming,
  say: (line: string) => void,
): Promise<{ results: StepResult[]; inputEnded: boolean }> {
  const results: StepResult[] = [];
  for (const step of steps) {
    let result: Outcome;
    try {
      result = await runStep(step, bench, prompter, timing, say);
    } catch (error) {
      // Out of answers (a script ran short, Ctrl-D): stop here, report what was checked.
      if (error instanceof InputEnded) return { results, inputEnded: true };
      throw error;
    }
    say(`  ${result.verdict === 'pass' ? 'ok' : result.verdict}: ${result.detail}`);
    results.push({ step: stepName(step), ...result });
  }
  return { results, inputEnded: false };
}

type Outcome = Omit<StepResult, 'step'>;

const ONLINE_GRACE_MS = 3000;

function runStep(
  step: SelftestStep,
  bench: BenchCabinet,
  prompter: Prompter,
  timing: SelftestTiming,
  say: (line: string) => void,
): Promise<Outcome> {
  switch (step.kind) {
    case 'solenoid':
      return solenoid(step.slot, step.index, bench, prompter, timing, say);
    case 'door-lock':
      return pulseAndAsk(bench.doorLock, timing.doorReleaseMs, prompter, say, {
        doing: `Releasing the door lock for ${seconds(timing.doorReleaseMs)}: pull the door.`,
        question: 'Did the door lock release?',
      });
    case 'door-contact':
      return doorContact(bench.doorSensor, prompter, timing);
    case 'indicator':
      return pulseAndAsk(bench.indicators[step.which], timing.indicatorMs, prompter, say, {
        doing: `Switching the ${stepName(step)} on for ${seconds(timing.indicatorMs)}.`,
        question:
          step.which === 'buzzer' ? 'Did the buzzer sound?' : `Did the ${step.which} LED light?`,
      });
    case 'badge':
      return badge(bench, prompter, timing);
    case 'fob':
      return fob(step.slot, bench, prompter, timing);
  }
}

async function solenoid(
  slot: number,
  index: number,
  bench: BenchCabinet,
  prompter: Prompter,
  timing: SelftestTiming,
  say: (line: string) => void,
): Promise<Outcome> {
  const keySwitch = bench.keyPresent[index];
  const reads = keySwitch?.read() ? 'a key' : 'no key';
  const hanging = await prompter.ask(`Slot ${slot}: is a key hanging in it?`);
  if (hanging === 'skip') return { verdict: 'skipped', detail: 'skipped by the installer' };
  const switchAgrees = (hanging === 'yes') === (reads === 'a key');
  say(`Releasing slot ${slot} for ${seconds(timing.pulseMs)}: listen for the click.`);
  const released = bench.solenoids.release(slot, timing.pulseMs);
  if (released !== 'energised') {
    bench.solenoids.lock(slot);
    return { verdict: 'fail', detail: `the solenoid bank ${released} the release (power budget)` };
  }
  await delay(timing.pulseMs);
  bench.solenoids.lock(slot);
  await delay(timing.restMs);
  const clicked = await prompter.ask(`Did slot ${slot} click?`);
  const problems: string[] = [];
  if (!switchAgrees) {
    problems.push(
      `the key switch reads ${reads}, you said ${hanging === 'yes' ? 'a key' : 'no key'}: ` +
        `check its wiring and activeLow in the profile`,
    );
  }
  if (clicked === 'no') problems.push('no click: check the coil, its driver and its supply');
  if (problems.length > 0) return { verdict: 'fail', detail: problems.join('; ') };
  if (clicked === 'skip') return { verdict: 'skipped', detail: `the key switch reads ${reads}` };
  return { verdict: 'pass', detail: `clicked; the key switch reads ${reads}, as you said` };
}

async function pulseAndAsk(
  pin: OutputPin,
  ms: number,
  prompter: Prompter,
  say: (line: string) => void,
  text: { doing: string; question: string },
): Promise<Outcome> {
  say(text.doing);
  try {
    pin.write(true);
    await delay(ms);
  } finally {
    pin.write(false);
  }
  return verdictOf(await prompter.ask(text.question), 'seen', 'not seen: check its wiring');
}

async function doorContact(
  sensor: InputPin,
  prompter: Prompter,
  timing: SelftestTiming,
): Promise<Outcome> {
  const reachState = async (open: boolean, prompt: string) =>
    sensor.read() === open
      ? ({ outcome: 'happened', value: true } as const)
      : prompter.waitOrSkip(prompt, (signal) => untilInput(sensor, open, signal), timing.waitMs);
  const opened = await reachState(true, 'Open the door.');
  if (opened.outcome !== 'happened')
    return waitVerdict(opened.outcome, 'the contact never read open');
  const closed = await reachState(false, 'Close the door.');
  if (closed.outcome !== 'happened')
    return waitVerdict(closed.outcome, 'the contact never read closed');
  return { verdict: 'pass', detail: 'the contact read open, then closed' };
}

async function badge(
  bench: BenchCabinet,
  prompter: Prompter,
  timing: SelftestTiming,
): Promise<Outcome> {
  if (!bench.badge.isOnline) {
    // Its port opens as the test starts: give it a moment before calling it offline.
    await nextEvent(bench.badge, 'online', AbortSignal.timeout(ONLINE_GRACE_MS)).catch(
      () => undefined,
    );
  }
  if (!bench.badge.isOnline) {
    return {
      verdict: 'fail',
      detail: 'the badge reader is offline: check its cable and the port path',
    };
  }
  const read = await prompter.waitOrSkip(
    'Present a badge to the reader.',
    (signal) => nextEvent(bench.badge, 'badge', signal),
    timing.waitMs,
  );
  if (read.outcome !== 'happened') return waitVerdict(read.outcome, 'no badge was read');
  return { verdict: 'pass', detail: `read card ${maskCard(read.value.card)}` };
}

async function fob(
  slot: number,
  bench: BenchCabinet,
  prompter: Prompter,
  timing: SelftestTiming,
): Promise<Outcome> {
  const seen = await prompter.waitOrSkip(
    `Put a key with its fob into slot ${slot}.`,
    (signal) => nextEvent(bench.fob, 'fob', signal, (read: FobRead) => read.tag !== null),
    timing.waitMs,
  );
  if (seen.outcome !== 'happened')
    return waitVerdict(seen.outcome, `no fob was read in slot ${slot}`);
  const { slot: where, tag } = seen.value;
  if (where !== slot) {
    return {
      verdict: 'fail',
      detail: `a fob was read in slot ${where}, not ${slot}: the fob reader's slot order or wiring differs`,
    };
  }
  return { verdict: 'pass', detail: `read fob ${maskCard(tag ?? '')}` };
}

function verdictOf(answer: Answer, yes: string, no: string): Outcome {
  if (answer === 'skip') return { verdict: 'skipped', detail: 'skipped by the installer' };
  return answer === 'yes' ? { verdict: 'pass', detail: yes } : { verdict: 'fail', detail: no };
}

function waitVerdict(outcome: 'skipped' | 'timed-out', failure: string): Outcome {
  return outcome === 'skipped'
    ? { verdict: 'skipped', detail: 'skipped by the installer' }
    : { verdict: 'fail', detail: `${failure} in time` };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** The one-argument events the readers emit, as the waits need them. */
interface OneArgEvents<T> {
  on(name: string, listener: (value: T) => void): unknown;
  off(name: string, listener: (value: T) => void): unknown;
}

/** The next matching event, or a rejection when the signal aborts. */
function nextEvent<T>(
  source: OneArgEvents<T>,
  name: string,
  signal: AbortSignal,
  accept: (value: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (value: T) => {
      if (!accept(value)) return;
      source.off(name, onEvent);
      resolve(value);
    };
    source.on(name, onEvent);
    signal.addEventListener(
      'abort',
      () => {
        source.off(name, onEvent);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

function untilInput(pin: InputPin, on: boolean, signal: AbortSignal): Promise<true> {
  return new Promise((resolve, reject) => {
    const stop = pin.onChange((value) => {
      if (value !== on) return;
      stop();
      resolve(true);
    });
    signal.addEventListener(
      'abort',
      () => {
        stop();
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}
