import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { errorLines } from './helpers.js';

const FILE = 'config/screen.json';
const base = { cabinetId: 'c1', profile: 'sim' };
const problems = (json: unknown): string[] =>
  errorLines(() => parseConfig(json, FILE), 'CONFIG_INVALID');

describe('the cabinet screen settings', () => {
  it('default: no screen, loopback host, every slot released at the grant', () => {
    const config = parseConfig(base, FILE);
    expect(config.screen).toEqual({ port: null, host: '127.0.0.1', allowRemote: false });
    expect(config.cabinet.pickKeysOnScreen).toBe(false);
  });

  it('a loopback host is taken; any other is refused unless allowRemote says so', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      expect(parseConfig({ ...base, screen: { port: 8090, host } }, FILE).screen.host).toBe(host);
    }
    expect(problems({ ...base, screen: { port: 8090, host: '0.0.0.0' } })).toEqual([
      `${FILE}: screen.host: is "0.0.0.0", not a loopback address; set screen.allowRemote to serve the cabinet screen beyond this machine`,
    ]);
    const remote = { ...base, screen: { port: 8090, host: '10.0.0.5', allowRemote: true } };
    expect(parseConfig(remote, FILE).screen.host).toBe('10.0.0.5');
  });

  it('a bad port or mode names the field', () => {
    expect(problems({ ...base, screen: { port: 0 } }).join('\n')).toContain('screen.port');
    expect(problems({ ...base, cabinet: { pickKeysOnScreen: 'yes' } }).join('\n')).toContain(
      'cabinet.pickKeysOnScreen',
    );
  });

  it('a kiosk user is a name or uid, and cannot go with allowRemote', () => {
    expect(
      parseConfig({ ...base, screen: { port: 8090, kioskUser: 'kiosk' } }, FILE).screen,
    ).toMatchObject({ kioskUser: 'kiosk' });
    expect(problems({ ...base, screen: { port: 8090, kioskUser: '' } }).join('\n')).toContain(
      'screen.kioskUser',
    );
    const remote = {
      ...base,
      screen: { port: 8090, host: '10.0.0.5', allowRemote: true, kioskUser: 'kiosk' },
    };
    expect(problems(remote)).toEqual([
      `${FILE}: screen.kioskUser: cannot be set with screen.allowRemote: a screen on another machine has no local user to check`,
    ]);
  });
});
