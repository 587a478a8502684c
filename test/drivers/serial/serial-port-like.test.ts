import { describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { isDisconnectError, realPortFactory } from '../../../drivers/serial/serial-port-like.js';

describe('realPortFactory', () => {
  it('creates a serialport SerialPort that is not opened until asked', async () => {
    const port = realPortFactory({ path: '/nonexistent/keywarden-tty', baudRate: 9600 });
    expect(port).toBeInstanceOf(SerialPort);
    expect(port.isOpen).toBe(false);
    const err = await new Promise<Error | null>((resolve) => port.open(resolve));
    expect(err).toBeInstanceOf(Error);
  });
});

describe('isDisconnectError', () => {
  it('is true only for errors flagged disconnected', () => {
    expect(isDisconnectError(Object.assign(new Error('gone'), { disconnected: true }))).toBe(true);
    expect(isDisconnectError(new Error('other'))).toBe(false);
    expect(isDisconnectError(null)).toBe(false);
  });
});
