// Preloaded with `node --import` by tests that must know WHEN a package first loads in the
// daemon's process (pino-pretty never in production; MQTT only after the outputs are off).
// For each package named in KEYWARDEN_PROBE_MODULES (comma-separated), the first time any of
// its files is required it writes one JSON log line to stdout, synchronously:
//   {"level":30,"msg":"module loaded","module":"mqtt","atMs":123.4}
// atMs is performance.now(), the clock of the daemon's own `sinceStartMs` fields.
// The packages watched here are CommonJS; their files go through Module._load whether the
// package was imported from ESM or required.
import { writeSync } from 'node:fs';
import Module from 'node:module';

const watched = (process.env.KEYWARDEN_PROBE_MODULES ?? '').split(',').filter(Boolean);
const seen = new Set();
const original = Module._load;

function packageOf(request, parent) {
  for (const name of watched) {
    if (request === name || request.startsWith(`${name}/`)) return name;
    const from = parent?.filename ?? '';
    if (from.includes(`/node_modules/${name}/`)) return name;
  }
  return undefined;
}

Module._load = function load(request, parent, isMain) {
  const name = packageOf(request, parent);
  if (name !== undefined && !seen.has(name)) {
    seen.add(name);
    const atMs = performance.now();
    writeSync(1, `${JSON.stringify({ level: 30, msg: 'module loaded', module: name, atMs })}\n`);
  }
  return original.call(this, request, parent, isMain);
};
