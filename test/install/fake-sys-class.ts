import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Pi 4's header chip on kernel 6.6 and later: its lines are numbered from 512. */
export const HEADER_CHIP = { base: 512, label: 'pinctrl-bcm2711', ngpio: 58 };

/**
 * A stand-in for a Pi's /sys/class, to bind over the container's: this machine's kernel has no
 * GPIO at all, so /sys/class/gpio does not exist and cannot be made inside the read-only sysfs
 * nspawn mounts. It holds gpio/ as a Pi 4 shows it with every header line already exported
 * (gpioN/{value,direction,active_low,edge}, group gpio, mode 0664 as Raspberry Pi OS's udev
 * rule makes them), so onoff finds each line exported and writes its value file, which the
 * test then reads back. Each output starts "1" (on), as a crashed daemon could leave it.
 */
export class FakeSysClass {
  readonly dir: string;

  constructor(gpioGid: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'keywarden-sys-class-'));
    chmodSync(this.dir, 0o755);
    const gpio = join(this.dir, 'gpio');
    mkdirSync(gpio);
    const chip = join(gpio, `gpiochip${HEADER_CHIP.base}`);
    mkdirSync(chip);
    writeFileSync(join(chip, 'base'), `${HEADER_CHIP.base}\n`);
    writeFileSync(join(chip, 'label'), `${HEADER_CHIP.label}\n`);
    writeFileSync(join(chip, 'ngpio'), `${HEADER_CHIP.ngpio}\n`);
    for (const name of ['export', 'unexport']) this.groupWritable(join(gpio, name), '', gpioGid);
    for (let bcm = 0; bcm < HEADER_CHIP.ngpio; bcm++) {
      const line = join(gpio, `gpio${HEADER_CHIP.base + bcm}`);
      mkdirSync(line);
      this.groupWritable(join(line, 'value'), '1\n', gpioGid);
      this.groupWritable(join(line, 'direction'), 'out\n', gpioGid);
      this.groupWritable(join(line, 'active_low'), '0\n', gpioGid);
      this.groupWritable(join(line, 'edge'), 'none\n', gpioGid);
    }
  }

  /** What the last writer left in BCM line `bcm`'s value file: "0" or "1". */
  value(bcm: number): string {
    return readFileSync(join(this.dir, 'gpio', `gpio${HEADER_CHIP.base + bcm}`, 'value'), 'utf8')
      .trim()
      .slice(0, 1);
  }

  /** Puts every line back on, as before a test that checks they are driven off. */
  allOn(): void {
    for (let bcm = 0; bcm < HEADER_CHIP.ngpio; bcm++) {
      writeFileSync(join(this.dir, 'gpio', `gpio${HEADER_CHIP.base + bcm}`, 'value'), '1\n');
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private groupWritable(path: string, content: string, gid: number): void {
    writeFileSync(path, content);
    chownSync(path, 0, gid);
    // Not through writeFileSync's mode, which the umask (022) would take the group's write from.
    chmodSync(path, 0o664);
  }
}
