import { readFileSync } from 'node:fs';

/** Resident memory of a process in kB, from /proc (Linux). */
export function residentKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}
