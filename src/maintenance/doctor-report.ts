/**
 * What `keywarden doctor` says about one check: ok, warn (works, but watch it) or FAIL (the
 * cabinet will not work as configured), and for a FAIL the one thing to do about it.
 */
export type CheckStatus = 'ok' | 'warn' | 'FAIL';

export interface CheckResult {
  /** Short name of what was checked, e.g. 'database', 'broker'. */
  check: string;
  status: CheckStatus;
  /** What was found, naming the file, device or setting. */
  detail: string;
  /** One sentence: what to do. Always present on a FAIL. */
  fix?: string;
}

export const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail });

export const warn = (check: string, detail: string, fix?: string): CheckResult =>
  fix === undefined ? { check, status: 'warn', detail } : { check, status: 'warn', detail, fix };

export const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'FAIL',
  detail,
  fix,
});

/** One line per check, the status first and padded so a column of them reads at a glance. */
export function formatCheck(result: CheckResult): string {
  const fix = result.fix === undefined ? '' : ` Fix: ${result.fix}`;
  return `${result.status.padEnd(4)}  ${result.check}: ${result.detail}.${fix}`;
}

export const anyFailed = (results: readonly CheckResult[]): boolean =>
  results.some((r) => r.status === 'FAIL');
