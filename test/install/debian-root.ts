import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIRROR = 'http://deb.debian.org/debian';

/**
 * The architectures a root can be made for: the host's own (amd64), and a Raspberry Pi's 64-bit
 * one (arm64), whose programs run under qemu-user-static through the kernel's binfmt_misc entry.
 */
export type DebianArch = 'amd64' | 'arm64';

/** The binfmt_misc entry that must be enabled for a root of this architecture; none for amd64. */
const EMULATOR: Record<DebianArch, string | undefined> = {
  amd64: undefined,
  arm64: 'qemu-aarch64',
};

/** Where the pristine root is kept between runs on one machine (CI starts without it). */
function cachePath(arch: DebianArch): string {
  return `/var/cache/keywarden-test/bookworm-${arch}.tar`;
}

const ROOT_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  // Node carries its own CA list: npm is told to use the system's, as behind such a proxy.
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
};

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * A Debian 12 root made by debootstrap (minbase plus systemd, as a Raspberry Pi OS Lite image
 * has it), with this source tree copied to /src inside, and commands run in it by chroot with
 * /proc, /sys and /dev mounted. The host's network and resolv.conf are shared: the installer
 * fetches from the Debian mirror and the npm registry as it would on a Pi.
 */
export class DebianRoot {
  private mounted: string[] = [];

  private constructor(readonly dir: string) {}

  /**
   * A new root in a fresh directory of its own under /tmp: two runs never share one. `arch`
   * arm64 makes a Raspberry Pi's root, whose every program runs under emulation.
   */
  static async create(source: string, arch: DebianArch = 'amd64'): Promise<DebianRoot> {
    const emulator = EMULATOR[arch];
    if (emulator !== undefined) requireBinfmt(emulator);
    const dir = mkdtempSync(join(tmpdir(), `keywarden-install-root-${arch}-`));
    const cache = cachePath(arch);
    if (existsSync(cache)) {
      await must(exec('tar', ['-xf', cache, '-C', dir]), 'unpack the root');
    } else {
      try {
        await bootstrap(dir, arch);
      } finally {
        // The second stage mounts /proc and /sys in the root itself: never cached, never left.
        unmountUnder(dir);
      }
      mkdirSync(join(cache, '..'), { recursive: true });
      // Written aside and renamed: a run starting meanwhile never unpacks half a tarball.
      const partial = `${cache}.${process.pid}.tmp`;
      await must(
        exec('tar', ['--one-file-system', '-cf', partial, '-C', dir, '.']),
        'cache the root',
      );
      renameSync(partial, cache);
    }
    // A root filesystem's top is 0755: mkdtemp made it 0700 (and a tarball of it keeps that),
    // which shuts every user but root out of everything in it.
    chmodSync(dir, 0o755);
    const root = new DebianRoot(dir);
    copyFileSync('/etc/resolv.conf', join(dir, 'etc/resolv.conf'));
    // A site whose TLS goes through an inspecting proxy (this machine's does) gives its CA to
    // the system store; ca-certificates, which the installer installs, takes it from here.
    const localCas = '/usr/local/share/ca-certificates';
    if (existsSync(localCas)) {
      mkdirSync(join(dir, localCas), { recursive: true });
      for (const file of readdirSync(localCas)) {
        copyFileSync(join(localCas, file), join(dir, localCas, file));
      }
    }
    // The tree as a user would have cloned it: without what a build or a run left behind.
    mkdirSync(join(dir, 'src'));
    await must(
      exec('bash', [
        '-c',
        `tar -C "${source}" --exclude=./node_modules --exclude=./.git --exclude=./dist ` +
          `--exclude=./bench/results --exclude='./drivers/peer-credentials/build' -cf - . | tar -C "${dir}/src" -xf -`,
      ]),
      'copy the source',
    );
    root.mount();
    return root;
  }

  /**
   * Runs a shell command in the root as root, with a clean environment. Asynchronous: an
   * install takes minutes, and the test worker must keep answering vitest meanwhile.
   */
  run(command: string, env: Record<string, string> = {}): Promise<RunResult> {
    const vars = Object.entries({ ...ROOT_ENV, ...env }).map(([k, v]) => `${k}=${v}`);
    const child = spawn('chroot', [this.dir, '/usr/bin/env', '-i', ...vars, 'bash', '-c', command]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  list(path: string): string[] {
    return existsSync(join(this.dir, path)) ? readdirSync(join(this.dir, path)) : [];
  }

  close(): void {
    for (const point of this.mounted.reverse()) spawnSync('umount', ['-l', point]);
    this.mounted = [];
    unmountUnder(this.dir);
    // Never recurse into a mount: with the host's /dev bound inside, that deletes its devices.
    if (mountsUnder(this.dir).length > 0)
      throw new Error(`${this.dir}: still mounted, not removed`);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private mount(): void {
    for (const [type, what, where] of [
      ['proc', 'proc', 'proc'],
      ['sysfs', 'sysfs', 'sys'],
      ['bind', '/dev', 'dev'],
      ['bind', '/dev/pts', 'dev/pts'],
    ] as const) {
      const point = join(this.dir, where);
      mkdirSync(point, { recursive: true });
      const args = type === 'bind' ? ['--bind', what, point] : ['-t', type, what, point];
      mustSync(spawnSync('mount', args, { encoding: 'utf8' }), `mount ${where}`);
      this.mounted.push(point);
    }
  }
}

/**
 * debootstrap, minbase plus systemd as a Raspberry Pi OS Lite image has it. For a foreign
 * architecture it runs in two stages: the packages unpacked here, then their maintainer scripts
 * run inside the root, under emulation.
 */
async function bootstrap(dir: string, arch: DebianArch): Promise<void> {
  const packages = ['--variant=minbase', '--include=systemd,systemd-sysv,dbus'];
  if (arch === 'amd64') {
    await must(exec('debootstrap', [...packages, 'bookworm', dir, MIRROR]), 'debootstrap');
    return;
  }
  await must(
    exec('debootstrap', [`--arch=${arch}`, '--foreign', ...packages, 'bookworm', dir, MIRROR]),
    'debootstrap (first stage)',
  );
  await must(
    exec('chroot', [dir, '/debootstrap/debootstrap', '--second-stage']),
    'debootstrap (second stage, emulated)',
  );
}

/**
 * A foreign root's programs start only through an enabled binfmt_misc entry (`.ci/run` enables
 * it): without one, the first chroot fails with a bare "Exec format error".
 */
function requireBinfmt(entry: string): void {
  const path = `/proc/sys/fs/binfmt_misc/${entry}`;
  const state = existsSync(path) ? readFileSync(path, 'utf8').split('\n')[0] : 'missing';
  if (state !== 'enabled') {
    throw new Error(
      `${path} is ${state}: install qemu-user-static and binfmt-support, then ` +
        `update-binfmts --enable ${entry}`,
    );
  }
}

function mustSync(result: SpawnSyncReturns<string>, what: string): void {
  if (result.status !== 0) {
    throw new Error(`${what} failed (${result.status}): ${result.stderr || result.error?.message}`);
  }
}

async function must(running: Promise<RunResult>, what: string): Promise<void> {
  const result = await running;
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr}`);
}

function exec(command: string, args: string[]): Promise<RunResult> {
  const child = spawn(command, args);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * Detaches whatever is still mounted inside the root (a run killed before its cleanup), deepest
 * first: removing the root with the host's /dev bound inside would delete the host's devices.
 */
function unmountUnder(dir: string): void {
  for (const point of mountsUnder(dir))
    mustSync(spawnSync('umount', ['-l', point], { encoding: 'utf8' }), `umount ${point}`);
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}
