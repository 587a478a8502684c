import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

/** The facts needed to compare figures between runs and machines. */
export interface MachineFacts {
  node: string;
  platform: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  memoryGiB: number;
  /** 1-minute load average when the run started: a busy machine explains a bad p99. */
  loadAverage1m: number;
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: process.platform,
    kernel: release(),
    arch: process.arch,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    availableParallelism: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function describeMachine(m: MachineFacts): string[] {
  return [
    `node ${m.node} on ${m.platform} ${m.kernel} (${m.arch})`,
    `CPU ${m.cpuModel}, ${m.cores} cores (${m.availableParallelism} available), ${m.memoryGiB} GiB`,
    `load average (1 min) at start: ${m.loadAverage1m}`,
  ];
}
