/**
 * Shortens a card number for logs and events: enough to tell cards apart at a glance,
 * not enough to clone one. `100086F444` becomes `…F444`.
 */
export function maskCard(card: string): string {
  if (card.length <= 4) return '…' + card.slice(-2);
  return '…' + card.slice(-4);
}
