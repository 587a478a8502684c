import type { FakeChip } from './fake-sysfs.js';

/**
 * GPIO chips as Raspberry Pi OS kernels lay them out: each chip's character device
 * (/dev/gpiochipN, what gpiodetect lists) and its sysfs entry (/sys/class/gpio/gpiochip<base>),
 * so the chardev driver and the onoff driver's base look-up are tested against the same machine.
 * Bases: 0 before kernel 6.6, from 512 up on 6.6+ (512 Pi 4, 571 Pi 5); Pi 5 with 6.1 put the
 * RP1 at 399. Kernel 6.6.47 made the RP1 gpiochip0 on a Pi 5 (it was gpiochip4); the sysfs
 * base did not move.
 */
export interface LayoutChip {
  /** Character device name. */
  dev: string;
  label: string;
  ngpio: number;
  /** sysfs base (the directory is gpiochip<base>). */
  base: number;
  /** Line names by offset; unnamed past the end. */
  names?: readonly string[];
}

export interface PiLayout {
  title: string;
  chips: LayoutChip[];
  /** The header chip the drivers must find. */
  header: { dev: string; label: string; base: number };
}

/** Pi 1-4 header line names (bcm2835/bcm2711 device trees): some are named for their function. */
const BCM_NAMES = [
  'ID_SDA',
  'ID_SCL',
  'SDA1',
  'SCL1',
  'GPIO_GCLK',
  'GPIO5',
  'GPIO6',
  'SPI_CE1_N',
  'SPI_CE0_N',
  'SPI_MISO',
  'SPI_MOSI',
  'SPI_SCLK',
  'GPIO12',
  'GPIO13',
  'TXD1',
  'RXD1',
  ...Array.from({ length: 12 }, (_, i) => `GPIO${16 + i}`),
  'SD_CLK_R',
  'SD_CMD_R',
];

/** Pi 5 RP1: every header line is named GPIO<n>. */
const RP1_NAMES = [
  ...Array.from({ length: 28 }, (_, i) => `GPIO${i}`),
  'PCIE_RP1_WAKE',
  'FAN_TACH',
];

const PI5_BRCMSTB = (devs: string[], bases: number[]): LayoutChip[] =>
  [
    ['gpio-brcmstb@107d508500', 32],
    ['gpio-brcmstb@107d508520', 4],
    ['gpio-brcmstb@107d517c00', 17],
    ['gpio-brcmstb@107d517c20', 6],
  ].map(([label, ngpio], i) => ({
    dev: devs[i] ?? '?',
    label: String(label),
    ngpio: Number(ngpio),
    base: bases[i] ?? -1,
  }));

export const PI_LAYOUTS: PiLayout[] = [
  {
    title: 'Pi 3, kernel 6.1',
    chips: [
      { dev: 'gpiochip0', label: 'pinctrl-bcm2835', ngpio: 54, base: 0, names: BCM_NAMES },
      { dev: 'gpiochip1', label: 'raspberrypi-exp-gpio', ngpio: 8, base: 504 },
    ],
    header: { dev: 'gpiochip0', label: 'pinctrl-bcm2835', base: 0 },
  },
  {
    title: 'Pi 4, kernel 6.1',
    chips: [
      { dev: 'gpiochip0', label: 'pinctrl-bcm2711', ngpio: 58, base: 0, names: BCM_NAMES },
      { dev: 'gpiochip1', label: 'raspberrypi-exp-gpio', ngpio: 8, base: 504 },
    ],
    header: { dev: 'gpiochip0', label: 'pinctrl-bcm2711', base: 0 },
  },
  {
    title: 'Pi 4, kernel 6.6',
    chips: [
      { dev: 'gpiochip0', label: 'pinctrl-bcm2711', ngpio: 58, base: 512, names: BCM_NAMES },
      { dev: 'gpiochip1', label: 'raspberrypi-exp-gpio', ngpio: 8, base: 570 },
    ],
    header: { dev: 'gpiochip0', label: 'pinctrl-bcm2711', base: 512 },
  },
  {
    title: 'Pi 5, kernel 6.1',
    chips: [
      ...PI5_BRCMSTB(['gpiochip0', 'gpiochip1', 'gpiochip2', 'gpiochip3'], [480, 476, 459, 453]),
      { dev: 'gpiochip4', label: 'pinctrl-rp1', ngpio: 54, base: 399, names: RP1_NAMES },
    ],
    header: { dev: 'gpiochip4', label: 'pinctrl-rp1', base: 399 },
  },
  {
    title: 'Pi 5, kernel 6.6 before 6.6.47',
    chips: [
      ...PI5_BRCMSTB(['gpiochip0', 'gpiochip1', 'gpiochip2', 'gpiochip3'], [512, 544, 548, 565]),
      { dev: 'gpiochip4', label: 'pinctrl-rp1', ngpio: 54, base: 571, names: RP1_NAMES },
    ],
    header: { dev: 'gpiochip4', label: 'pinctrl-rp1', base: 571 },
  },
  {
    title: 'Pi 5, kernel 6.6.47 and later',
    chips: [
      { dev: 'gpiochip0', label: 'pinctrl-rp1', ngpio: 54, base: 571, names: RP1_NAMES },
      ...PI5_BRCMSTB(
        ['gpiochip10', 'gpiochip11', 'gpiochip12', 'gpiochip13'],
        [512, 544, 548, 565],
      ),
    ],
    header: { dev: 'gpiochip0', label: 'pinctrl-rp1', base: 571 },
  },
];

export function layout(title: string): PiLayout {
  const found = PI_LAYOUTS.find((l) => l.title === title);
  if (!found) throw new Error(`no layout '${title}'`);
  return found;
}

/** The layout's /sys/class/gpio entries, for fakeSysfs. */
export function sysfsChips(pi: PiLayout): FakeChip[] {
  return pi.chips.map(({ base, label, ngpio }) => ({ base, label, ngpio }));
}
