import { describe, expect, it } from 'vitest';
import { PresentationDebouncer } from '../../../drivers/serial/presentation-debouncer.js';

function setup(quietMs?: number) {
  const clock = { t: 1_000 };
  const debouncer = new PresentationDebouncer({ quietMs, now: () => clock.t });
  return { clock, debouncer };
}

describe('PresentationDebouncer', () => {
  it('counts a card repeated every 50 ms as one presentation, however long it stays', () => {
    const { clock, debouncer } = setup();
    const accepted = [];
    for (let i = 0; i < 100; i++) {
      accepted.push(debouncer.accept('100086F444'));
      clock.t += 50;
    }
    expect(accepted.filter(Boolean)).toHaveLength(1);
    expect(accepted[0]).toBe(true);
  });

  it('counts the same card again after a quiet gap longer than quietMs', () => {
    const { clock, debouncer } = setup(300);
    expect(debouncer.accept('A')).toBe(true);
    clock.t += 300;
    expect(debouncer.accept('A')).toBe(false);
    clock.t += 301;
    expect(debouncer.accept('A')).toBe(true);
  });

  it('treats a different card as a new presentation at once', () => {
    const { clock, debouncer } = setup();
    expect(debouncer.accept('A')).toBe(true);
    clock.t += 10;
    expect(debouncer.accept('B')).toBe(true);
    clock.t += 10;
    expect(debouncer.accept('A')).toBe(true);
  });

  it('defaults quietMs to 300', () => {
    const { clock, debouncer } = setup();
    debouncer.accept('A');
    clock.t += 299;
    expect(debouncer.accept('A')).toBe(false);
    clock.t += 301;
    expect(debouncer.accept('A')).toBe(true);
  });
});
