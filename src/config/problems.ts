import { KeywardenError, type KeywardenErrorCode } from '../errors.js';

/** One thing wrong with a file: where (a field path like `slots[3].solenoid`) and what. */
export interface Problem {
  /** Field path in the file; empty for the file as a whole. */
  path: string;
  message: string;
}

/** `hardware/bad.json: slots[3].solenoid: BCM pin 5 is already used by slots[0].solenoid` */
export function formatProblem(file: string, problem: Problem): string {
  return problem.path === ''
    ? `${file}: ${problem.message}`
    : `${file}: ${problem.path}: ${problem.message}`;
}

/**
 * Reports every problem at once, one per line, so a whole file can be fixed in one edit
 * instead of one restart per mistake.
 */
export function throwIfProblems(
  code: KeywardenErrorCode,
  file: string,
  problems: readonly Problem[],
): void {
  if (problems.length === 0) return;
  const lines = [...new Set(problems.map((p) => formatProblem(file, p)))];
  throw new KeywardenError(code, lines.join('\n'));
}
