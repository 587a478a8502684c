import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from '../../src/app/web-accounts/web-account-rules.js';
import * as page from '../../src/web/ui/console/pages/password-rules.js';

// The My account page states the password rules before anyone types and checks them as they
// type; it may not import the server's rules, so its copy is checked against them here.
describe("the My account page's copy of the password rules", () => {
  it('has the same bounds as the server', () => {
    expect(page.MIN_PASSWORD_LENGTH).toBe(MIN_PASSWORD_LENGTH);
    expect(page.MAX_PASSWORD_LENGTH).toBe(MAX_PASSWORD_LENGTH);
  });

  it('refuses exactly what the server refuses', () => {
    const serverRefuses = (account: string, password: string) => {
      try {
        checkNewPassword(account, password);
        return false;
      } catch {
        return true;
      }
    };
    for (const [account, password] of [
      ['maria', 'short'],
      ['maria', 'x'.repeat(11)],
      ['maria', 'x'.repeat(12)],
      ['maria', 'é'.repeat(12)],
      ['maria', '😀'.repeat(11)],
      ['maria', 'x'.repeat(256)],
      ['maria', 'x'.repeat(257)],
      ['maria', 'MARIA loves long passwords'],
      ['ada', 'ada loves long passwords'],
      ['ada', 'ADA'],
      ['ada', 'adaadaadaadaada'],
    ] as const) {
      expect(page.newPasswordProblem(account, password) !== null, `${account} ${password}`).toBe(
        serverRefuses(account, password),
      );
    }
  });
});
