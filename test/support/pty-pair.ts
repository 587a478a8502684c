import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A linked pair of pseudo-terminals made by socat: a serial "device" for the code under test
 * and a "peer" end where the test plays the reader hardware. Killing socat is an unplug (the
 * open device end gets a read error, serialport closes it with a disconnected error);
 * restarting it on the same link paths is the device coming back.
 */
export interface PtyPair {
  /** What the code under test opens as the reader's serial device. */
  devicePath: string;
  /** The other end, written by writeToDevice. */
  peerPath: string;
  /** Bytes "sent by the reader": they arrive at whoever opened devicePath. */
  writeToDevice(bytes: Buffer | string): Promise<void>;
  /** SIGKILLs socat (an unplug) and waits for it to exit; the links disappear like /dev nodes. */
  kill(): Promise<void>;
  /** Starts a new socat on the same link paths (the device comes back). */
  restart(): Promise<void>;
  /** Kills socat if running and removes the temporary directory. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 5000;
const live = new Set<ChildProcess>();

// Last resort if a test forgets close(): never leave socat running after the worker exits.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function openPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'keywarden-pty-'));
  const devicePath = join(dir, 'dev');
  const peerPath = join(dir, 'peer');
  let child: ChildProcess | null = null;
  let peer: FileHandle | null = null;

  const start = async (): Promise<void> => {
    child = await startSocat(devicePath, peerPath);
    // Keep the peer open for the pair's lifetime: we write raw bytes through it.
    peer = await open(peerPath, constants.O_RDWR | constants.O_NOCTTY);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = null;
    await peer?.close().catch(() => undefined);
    peer = null;
    if (running) await killAndWait(running);
    // SIGKILL leaves the links dangling, and their /dev/pts numbers get reused by other
    // ptys; remove them so nothing opens a stranger's terminal, as a vanished /dev node would.
    await rm(devicePath, { force: true });
    await rm(peerPath, { force: true });
  };

  await start();
  return {
    devicePath,
    peerPath,
    async writeToDevice(bytes) {
      if (!peer) throw new Error('pty pair is not running');
      await peer.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    },
    kill,
    async restart() {
      await kill();
      await start();
    },
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startSocat(devicePath: string, peerPath: string): Promise<ChildProcess> {
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${peerPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  // Keep draining stderr for the process's life, so socat never blocks on a full pipe.
  child.stderr?.on('data', (text: string) => {
    if (stderr.length < 8192) stderr += text;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`socat did not start in time:\n${stderr}`)),
        START_TIMEOUT_MS,
      );
      const check = (): void => {
        // The links exist before socat enters its transfer loop; wait for both.
        if (!stderr.includes('starting data transfer loop')) return;
        // A link not there yet is ignored: the next line socat writes checks again.
        void Promise.all([lstat(devicePath), lstat(peerPath)]).then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          () => undefined,
        );
      };
      child.stderr?.on('data', check);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`socat exited early (${code ?? signal}):\n${stderr}`));
      });
    });
  } catch (err) {
    await killAndWait(child);
    throw err;
  }
  return child;
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
