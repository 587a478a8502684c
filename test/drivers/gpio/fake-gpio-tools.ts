import type {
  GpioToolName,
  GpioTools,
  ToolProcess,
  ToolResult,
} from '../../../drivers/gpio/gpio-tools.js';
import type { PiLayout } from './pi-layouts.js';

/**
 * A fake of libgpiod's tools over a fake kernel: chips and lines from a PiLayout, each line with
 * its electrical level and who holds it. It answers as the real tools do (version 2 by default,
 * version 1's output shapes with `version: 1`), so the driver's parsing is exercised too.
 * A request fails with EBUSY when the line is held, as the kernel refuses it.
 */
export interface FakeLine {
  offset: number;
  name: string | undefined;
  consumer: string | undefined;
  direction: 'input' | 'output';
  activeLow: boolean;
  /** Electrical level now. */
  level: 0 | 1;
  /** Every level an output request or `set` drove, starting with the request. */
  levels: Array<0 | 1>;
  monitor: FakeToolProcess | undefined;
}

export interface FakeChipState {
  dev: string;
  label: string;
  lines: FakeLine[];
}

export interface FakeToolsOptions {
  version?: 1 | 2;
  /** The tools are not installed (ENOENT). */
  missing?: boolean;
  /** gpioset built without --interactive. */
  noInteractive?: boolean;
}

export class FakeGpioTools implements GpioTools {
  readonly chips: FakeChipState[];
  /** Requests, sets and releases of all lines, in order: "request gpiochip0 17 out 0". */
  readonly log: string[] = [];
  readonly processes: FakeToolProcess[] = [];
  readonly runs: string[] = [];

  constructor(
    pi: PiLayout,
    private readonly options: FakeToolsOptions = {},
  ) {
    this.chips = pi.chips.map((chip) => ({
      dev: chip.dev,
      label: chip.label,
      lines: Array.from({ length: chip.ngpio }, (_, offset) => ({
        offset,
        name: chip.names?.[offset],
        consumer: undefined,
        direction: 'input' as const,
        activeLow: false,
        level: 0 as const,
        levels: [],
        monitor: undefined,
      })),
    }));
  }

  line(dev: string, offset: number): FakeLine {
    const line = this.chips.find((c) => c.dev === dev)?.lines[offset];
    if (!line) throw new Error(`no line ${dev}:${offset}`);
    return line;
  }

  /** Another process (or the kernel) takes a line. */
  hold(dev: string, offset: number, consumer: string): void {
    this.line(dev, offset).consumer = consumer;
  }

  /** An input's electrical level changes; a monitor reports it as gpiomon would. */
  edge(dev: string, offset: number, level: 0 | 1): void {
    const line = this.line(dev, offset);
    if (line.level === level) return;
    line.level = level;
    const logical = line.activeLow ? 1 - level : level;
    line.monitor?.emit(`${logical === 1 ? 'rising' : 'falling'} ${offset}`);
  }

  run(tool: GpioToolName, args: readonly string[]): ToolResult {
    this.runs.push([tool, ...args].join(' '));
    if (this.options.missing) {
      const error = Object.assign(new Error(`spawnSync ${tool} ENOENT`), { code: 'ENOENT' });
      return { status: null, stdout: '', stderr: '', error };
    }
    const v = this.options.version ?? 2;
    if (tool === 'gpiodetect') {
      const out = this.chips.map((c) => `${c.dev} [${c.label}] (${c.lines.length} lines)`);
      return ok(out.join('\n') + '\n');
    }
    if (tool === 'gpioset' && args[0] === '--version') {
      return ok(`gpioset (libgpiod) v${v === 2 ? '2.1.3' : '1.6.3'}\nCopyright (C) 2017-2023\n`);
    }
    if (tool === 'gpioset' && args[0] === '--help') {
      return ok(
        `Usage: gpioset [OPTIONS] <line=value>...\n` +
          (this.options.noInteractive || v === 1 ? '' : '  -i, --interactive\tset the lines\n'),
      );
    }
    if (tool === 'gpioinfo') return this.gpioinfo(args, v);
    if (tool === 'gpioget') return this.gpioget(args);
    return { status: 1, stdout: '', stderr: `${tool}: unexpected run ${args.join(' ')}` };
  }

  start(tool: GpioToolName, args: readonly string[]): ToolProcess {
    const request = parseRequest(args);
    const process = new FakeToolProcess(this, tool, request, args);
    this.processes.push(process);
    const line = this.chips.find((c) => c.dev === request.chip)?.lines[request.offset];
    if (!line) {
      process.fail(`${tool}: cannot find line '${request.offset}'`);
      return process;
    }
    if (line.consumer !== undefined) {
      process.fail(
        `${tool}: unable to request lines on chip '/dev/${request.chip}': Device or resource busy`,
      );
      return process;
    }
    line.consumer = request.consumer;
    line.activeLow = request.activeLow;
    process.line = line;
    if (tool === 'gpioset') {
      line.direction = 'output';
      this.drive(request.chip, line, request.value ?? 0);
      this.log.push(`request ${request.chip} ${line.offset} out ${line.level}`);
    } else {
      line.direction = 'input';
      line.monitor = process;
      this.log.push(`request ${request.chip} ${line.offset} in`);
    }
    return process;
  }

  /** Drives a logical value through the line's polarity. */
  drive(dev: string, line: FakeLine, logical: 0 | 1): void {
    line.level = line.activeLow ? (logical === 1 ? 0 : 1) : logical;
    line.levels.push(line.level);
    void dev;
  }

  private gpioinfo(args: readonly string[], v: 1 | 2): ToolResult {
    const dev = v === 2 ? (args[0] === '--chip' ? args[1] : undefined) : args[0];
    const chip = this.chips.find((c) => c.dev === dev);
    if (!chip) {
      return { status: 1, stdout: '', stderr: `gpioinfo: cannot find GPIO chip ${String(dev)}` };
    }
    const lines = chip.lines.map((l) => {
      const name = l.name === undefined ? 'unnamed' : `"${l.name}"`;
      if (v === 2) {
        const attrs = [
          l.direction,
          ...(l.activeLow ? ['active-low'] : []),
          ...(l.consumer !== undefined ? [`consumer="${l.consumer}"`] : []),
        ];
        return `\tline ${String(l.offset).padStart(3)}:\t${name.padEnd(16)}\t${attrs.join(' ')}`;
      }
      const consumer = l.consumer === undefined ? 'unused' : `"${l.consumer}"`;
      const used = l.consumer === undefined ? '' : ' [used]';
      return `\tline ${String(l.offset).padStart(3)}: ${name.padStart(16)} ${consumer.padStart(12)} ${l.direction} ${l.activeLow ? 'active-low' : 'active-high'}${used}`;
    });
    return ok(`${chip.dev} - ${chip.lines.length} lines:\n${lines.join('\n')}\n`);
  }

  private gpioget(args: readonly string[]): ToolResult {
    const request = parseRequest(args);
    const line = this.chips.find((c) => c.dev === request.chip)?.lines[request.offset];
    if (!line) return { status: 1, stdout: '', stderr: 'gpioget: cannot find line' };
    if (line.consumer !== undefined) {
      return {
        status: 1,
        stdout: '',
        stderr: 'gpioget: unable to request lines: Device or resource busy',
      };
    }
    const logical = request.activeLow ? 1 - line.level : line.level;
    return ok(`"${request.offset}"=${logical === 1 ? 'active' : 'inactive'}\n`);
  }
}

interface Request {
  chip: string;
  offset: number;
  value: 0 | 1 | undefined;
  activeLow: boolean;
  consumer: string;
}

function parseRequest(args: readonly string[]): Request {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const last = args[args.length - 1] ?? '';
  const [offset, value] = last.split('=');
  return {
    chip: flag('--chip') ?? '?',
    offset: Number(offset),
    value: value === undefined ? undefined : value === '1' ? 1 : 0,
    activeLow: args.includes('--active-low'),
    consumer: flag('--consumer') ?? '?',
  };
}

function ok(stdout: string): ToolResult {
  return { status: 0, stdout, stderr: '' };
}

/**
 * One running tool. Output and exit are delivered on a later microtask, as a real child's are;
 * commands written to an interactive gpioset take effect when written (the pipe is in order).
 */
export class FakeToolProcess implements ToolProcess {
  line: FakeLine | undefined;
  readonly written: string[] = [];
  exited: { status: number | null } | undefined;
  stdinClosed = false;
  killedWith: string | undefined;
  private readonly lineListeners: Array<(line: string) => void> = [];
  private readonly exitListeners: Array<(status: number | null, stderr: string) => void> = [];
  private stderr = '';

  constructor(
    private readonly tools: FakeGpioTools,
    readonly tool: GpioToolName,
    readonly request: Request,
    readonly args: readonly string[],
  ) {}

  write(text: string): void {
    if (this.exited || this.stdinClosed) return;
    this.written.push(text);
    for (const command of text.split('\n').filter(Boolean)) this.command(command);
  }

  /** EOF: an interactive gpioset ignores it and keeps holding its line, as libgpiod 2's does. */
  end(): void {
    this.stdinClosed = true;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.killedWith = signal;
    this.exit(null);
  }

  /** The tool dies on its own (a crash, an OOM kill). */
  die(stderr: string): void {
    this.stderr = stderr;
    this.exit(1);
  }

  onLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  onExit(listener: (status: number | null, stderr: string) => void): void {
    if (this.exited) {
      const { status } = this.exited;
      queueMicrotask(() => listener(status, this.stderr));
    } else this.exitListeners.push(listener);
  }

  emit(text: string): void {
    queueMicrotask(() => {
      for (const listener of this.lineListeners) listener(text);
    });
  }

  fail(stderr: string): void {
    this.stderr = stderr;
    this.exit(1);
  }

  private command(command: string): void {
    const line = this.line;
    if (this.tool !== 'gpioset' || !line) return;
    const [verb, arg = ''] = command.split(' ');
    if (verb === 'set') {
      const [id, value] = arg.split('=');
      if (Number(id) !== line.offset) return;
      this.tools.drive(this.request.chip, line, value === '1' ? 1 : 0);
      this.tools.log.push(`set ${this.request.chip} ${line.offset} ${line.level}`);
    } else if (verb === 'exit') {
      this.exit(0);
    } else if (verb === 'get') {
      const logical = line.activeLow ? 1 - line.level : line.level;
      this.emit(`gpioset> "${line.offset}"=${logical === 1 ? 'active' : 'inactive'}`);
    }
  }

  private exit(status: number | null): void {
    if (this.exited) return;
    this.exited = { status };
    const line = this.line;
    if (line) {
      // Released: the consumer goes, the level stays (Raspberry Pi kernels keep it).
      line.consumer = undefined;
      line.monitor = undefined;
      this.tools.log.push(`release ${this.request.chip} ${line.offset}`);
    }
    queueMicrotask(() => {
      for (const listener of this.exitListeners) listener(status, this.stderr);
    });
  }
}
