import { describe, expect, it } from 'vitest';
import { LogThrottle } from '../../../drivers/serial/log-throttle.js';

describe('LogThrottle', () => {
  it('lets one through per interval and counts the ones held back', () => {
    const clock = { t: 0 };
    const throttle = new LogThrottle(1000, () => clock.t);
    expect(throttle.take()).toBe(0);
    clock.t = 10;
    expect(throttle.take()).toBeNull();
    clock.t = 999;
    expect(throttle.take()).toBeNull();
    clock.t = 1000;
    expect(throttle.take()).toBe(2);
    clock.t = 5000;
    expect(throttle.take()).toBe(0);
  });
});
