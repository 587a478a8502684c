import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import type { PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import { isKeywardenError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { openBench } from './open-bench.js';
import { Prompter } from './prompter.js';
import { readSelftestOptions } from './selftest-options.js';
import { selftestReport } from './selftest-report.js';
import { planSelftest } from './selftest-plan.js';
import { runSelftest, type StepResult } from './selftest.js';

export interface BenchSelftestOptions {
  config: KeywardenConfig;
  profile: HardwareProfile;
  values: Record<string, string | boolean | undefined>;
  io: { out: (line: string) => void; err: (line: string) => void };
  input: NodeJS.ReadableStream;
  portFactory: PortFactory;
  gpio?: GpioDriver;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `keywarden selftest`: the options checked before any pin is touched, the cabinet claimed as
 * the daemon claims it (refused while the daemon runs), the steps with the installer, the report,
 * and every output off at the end, on Ctrl-C and on any error.
 */
export async function runBenchSelftest(options: BenchSelftestOptions): Promise<number> {
  const { config, profile, io } = options;
  const choice = readSelftestOptions(options.values, profile);
  const steps = planSelftest(profile, choice.parts, choice.slots);
  // Warnings (a reader offline, a garbled line) are worth seeing at the bench; chatter is not.
  const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
  let opened;
  try {
    opened = await openBench({
      config,
      profile,
      logger,
      portFactory: options.portFactory,
      ...(options.gpio ? { gpio: options.gpio } : {}),
    });
  } catch (error) {
    if (isKeywardenError(error, 'CABINET_IN_USE')) {
      io.err(`keywarden selftest: refused: ${error.message}`);
      io.err('Stop the daemon first (sudo systemctl stop keywarden), then run the self test.');
      return EXIT_FAILED;
    }
    throw error;
  }
  const prompter = new Prompter(options.input, (text) => io.err(text));
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    opened.allOff();
    prompter.close();
  };
  // Outside systemd no ExecStopPost drives the outputs off after us: a hang-up (the SSH
  // session dropped), a kill or a crash (a GPIO tool gone) must leave every output off here.
  const onCrash = (error: unknown) => {
    opened.allOff();
    io.err(`keywarden selftest: ${(error as Error).message ?? String(error)}: every output off`);
    process.exit(EXIT_FAILED);
  };
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  let results: StepResult[];
  let stoppedBy: string | undefined;
  try {
    io.err(`Self test of ${profile.model}: ${steps.length} steps. Answer y, n or s (skip).`);
    const run = await runSelftest(steps, opened.bench, prompter, choice.timing, (line) =>
      io.err(line),
    );
    results = run.results;
    if (run.inputEnded) stoppedBy = interrupted ? 'interrupted' : 'standard input ended';
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    prompter.close();
    await opened.close();
  }
  for (const line of selftestReport(profile.model, results)) io.out(line);
  if (stoppedBy) {
    io.out(`stopped before the end (${stoppedBy}): ${steps.length - results.length} steps not run`);
    return interrupted ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
  return results.some((r) => r.verdict === 'fail') ? EXIT_FAILED : EXIT_OK;
}
