import { expect } from 'vitest';
import type { DebianRoot, RunResult } from './debian-root.js';

/**
 * What every installer test checks after a first install, whatever the architecture: the
 * install ended well, the command line works as the daemon's user, and the daemon starts on the
 * simulated cabinet and records it. One copy, so amd64 and arm64 are held to the same bar.
 */

/** A first install as on a Pi: Node from the npm registry, a badge reader by USB id, sim. */
export const FIRST_INSTALL =
  'cd /src && systemd/install.sh --node-source npm --badge-usb 1a86:7523 --profile sim';

/** The node the installer puts in place with `--node-source npm`. */
const NODE = '/opt/keywarden-node/bin/node';

export function expectInstalled(first: RunResult): void {
  expect(first.stderr).not.toMatch(/npm ERR!/);
  expect(first.status, first.stderr.slice(-3000)).toBe(0);
  expect(first.stdout).toMatch(/Keywarden is installed in \/opt\/keywarden \(v20\./);
  expect(first.stdout).toMatch(/sudo -u keywarden keywarden selftest/);
}

export async function expectWorkingCommandLine(root: DebianRoot): Promise<void> {
  const help = await root.run('runuser -u keywarden -- keywarden --help');
  expect(help.status, help.stderr).toBe(0);
  expect(help.stdout).toMatch(/selftest/);
  expect(root.read('usr/local/bin/keywarden')).toContain(NODE);
  // The skeleton is a valid file whose broker is still the plain-text default: `config check`
  // refuses it as the daemon's start would (exit 78), naming the key to edit, which is the
  // installer's first "next step".
  const check = await root.run('runuser -u keywarden -- keywarden config check');
  expect(check.status, check.stdout + check.stderr).toBe(78);
  expect(check.stderr).toMatch(/config\.json: mqtt\.url: mqtt:\/\/ is plain text/);
}

/**
 * Runs the daemon as the keywarden user until it says "cabinet ready" (waiting for the line, not
 * for a time: under emulation its start takes many times a Pi's), stops it with SIGINT as systemd
 * would, then reads its database with the installed better-sqlite3: the run must be recorded
 * there, started and cleanly stopped.
 */
export async function expectDaemonStartsAndRecords(
  root: DebianRoot,
  deadlineSeconds: number,
): Promise<void> {
  // The skeleton leaves the broker at its plain-text default, which the daemon refuses until
  // the admin names a TLS broker (exit 78, before anything connects). With no broker here, the
  // test opts in to plain text in words, as the demo and the other tests do (no broker listens).
  const optIn =
    "const fs = require('node:fs'); const file = '/etc/keywarden/config.json';" +
    'const config = JSON.parse(fs.readFileSync(file, "utf8"));' +
    'config.mqtt = { ...config.mqtt, allowPlainText: true };' +
    'fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\\n");';
  const opted = await root.run(`${NODE} -e ${shellQuote(optIn)}`);
  expect(opted.status, opted.stderr).toBe(0);
  // setpriv execs: $! is the daemon itself (the wrapper execs node), so SIGINT reaches it.
  const run = await root.run(`
    log=$(mktemp)
    setpriv --reuid=keywarden --regid=keywarden --init-groups -- \\
      keywarden run --no-interactive >"$log" 2>&1 &
    pid=$!
    grep -q -m1 'cabinet ready' < <(timeout ${deadlineSeconds} tail -n +1 -f --pid=$pid "$log")
    ready=$?
    kill -INT $pid
    wait $pid
    echo "ready $ready, exit $?"
    cat "$log"`);
  expect(run.stdout, run.stdout.slice(-3000)).toMatch(/^ready 0, exit 0$/m);
  expect(run.stdout).toMatch(/outputs claimed and off/);

  const query =
    "const db = require('better-sqlite3')('/var/lib/keywarden/cabinet.db', { readonly: true });" +
    'const rows = db.prepare("SELECT type FROM events WHERE type LIKE \'cabinet.%\' ORDER BY seq").all();' +
    'console.log(JSON.stringify(rows.map((r) => r.type)));';
  const events = await root.run(
    `cd /opt/keywarden && runuser -u keywarden -- ${NODE} -e ${shellQuote(query)}`,
  );
  expect(events.status, events.stderr).toBe(0);
  expect(JSON.parse(events.stdout)).toEqual(['cabinet.started', 'cabinet.stopped']);
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
