import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from './wait-for.js';

/**
 * Receives datagrams on a Unix socket the way systemd's $NOTIFY_SOCKET does, with the real
 * kernel socket type. Python, not socat: systemd-notify sends BARRIER=1 with a pipe fd and
 * waits until the receiver closes it. systemd closes it at once; socat keeps any fd it is
 * passed, so every systemd-notify would wait its 5 s and fail. Python's recv() takes no fds,
 * and the kernel closes them, like systemd. socat also glues datagrams together; this prints
 * one JSON string per datagram.
 */
const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps("LISTENING"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode("utf-8", "replace")), flush=True)
`;

export class NotifySocket {
  /** Every datagram received, in order, BARRIER=1 included. */
  readonly messages: string[] = [];
  readonly path: string;
  private child: ChildProcess | undefined;

  constructor(dir: string) {
    this.path = join(dir, 'notify.sock');
  }

  async start(): Promise<void> {
    const child = spawn('python3', ['-c', RECEIVER, this.path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    let listening = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as string;
      if (message === 'LISTENING') listening = true;
      else this.messages.push(message);
    });
    await waitFor(() => listening || child.exitCode !== null, 'the notify socket', 10_000);
    if (!listening) throw new Error(`python3 notify receiver exited with ${child.exitCode}`);
  }

  /** The received messages that carry this assignment (e.g. "READY=1"). */
  with(assignment: string): string[] {
    return this.messages.filter((m) => m.split('\n').includes(assignment));
  }

  close(): void {
    this.child?.kill();
  }
}
