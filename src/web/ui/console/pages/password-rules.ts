/**
 * The console's password rules as the page states them before anyone types (the server's are
 * src/app/web-accounts/web-account-rules.ts; the page may not import it, so
 * test/web/password-rules-copy.test.ts checks that the two agree).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** What is wrong with a new password by the rules, or null; the server checks again. */
export function newPasswordProblem(account: string, password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `At least ${MIN_PASSWORD_LENGTH} characters: this has ${length}.`;
  }
  if (length > MAX_PASSWORD_LENGTH) return `At most ${MAX_PASSWORD_LENGTH} characters.`;
  const name = account.toLowerCase();
  const lower = password.toLowerCase();
  if (lower === name || (name.length > 3 && lower.includes(name))) {
    return 'It may not contain your account name.';
  }
  return null;
}
