import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeChip {
  base: number;
  label: string;
  /** Number of lines; 54 when not given. */
  ngpio?: number;
}

/**
 * A temporary /sys/class/gpio look-alike: gpiochip<base>/{base,label,ngpio} as the kernel
 * names them, plus export/unexport. Call `cleanup()` in afterEach.
 */
export function fakeSysfs(chips: FakeChip[]): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'keywarden-sysfs-'));
  writeFileSync(join(root, 'export'), '');
  writeFileSync(join(root, 'unexport'), '');
  for (const { base, label, ngpio = 54 } of chips) {
    const dir = join(root, `gpiochip${base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'base'), `${base}\n`);
    writeFileSync(join(dir, 'label'), `${label}\n`);
    writeFileSync(join(dir, 'ngpio'), `${ngpio}\n`);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Layouts seen on Raspberry Pi OS with kernel 6.6+. */
export const PI4_CHIPS: FakeChip[] = [
  { base: 504, label: 'raspberrypi-exp-gpio' },
  { base: 512, label: 'pinctrl-bcm2711' },
];

export const PI5_CHIPS: FakeChip[] = [
  { base: 512, label: 'gpio-brcmstb@107d508500' },
  { base: 544, label: 'gpio-brcmstb@107d508520' },
  { base: 550, label: 'gpio-brcmstb@107d517c00' },
  { base: 567, label: 'gpio-brcmstb@107d517c20' },
  { base: 571, label: 'pinctrl-rp1' },
];
