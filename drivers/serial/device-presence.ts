import { stat } from 'node:fs/promises';

/**
 * Whether a serial device node is there. An unplug normally closes the port with a
 * disconnected error, but not always (field notes: 1 run in 26 with a killed socat), and an
 * idle badge reader sends nothing, so silence proves nothing: the node vanishing from /dev
 * is the backstop. Only absolute paths are checked; anything else (`sim:…`, `COM3`) is
 * assumed present and left to `open()` to judge.
 */
export async function devicePresent(path: string): Promise<boolean> {
  if (!path.startsWith('/')) return true;
  try {
    await stat(path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
