/**
 * The console's people and overview at scale (issue 12, figures): holder search p95 and each of
 * the overview/people/contractor read routes' p95 on the server, with 100,000 holders. Run:
 * `npm run build && node dist/bench/console-people.js [holders]`. Goal: every p95 < 50 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localCustodian } from '../src/app/local-custodian.js';
import { createLogger } from '../src/log/logger.js';
import { openDatabase } from '../src/store/database.js';
import { createWebServer } from '../src/web/create-web-server.js';
import { overviewAndPeopleModules } from '../src/web/routes/overview-and-people.js';
import type { WebUser } from '../src/web/web-context.js';
import { seededRandom } from './prng.js';
import { seedHolders } from './seed-holders.js';
import { percentile } from './stats.js';

const HOLDERS = Number(process.argv[2] ?? 100_000);
const ROUNDS = 200;
const SLOTS = 24;

const dir = mkdtempSync(join(tmpdir(), 'keywarden-console-bench-'));
const database = join(dir, 'cabinet.db');
writeFileSync(join(dir, 'pin-pepper'), Buffer.alloc(32, 7), { mode: 0o600 });
seedHolders(database, { holders: HOLDERS, slotCount: SLOTS, random: seededRandom(12) });
const db = openDatabase(database);
// Every tenth holder a contractor with a company; every hundredth expired.
db.exec(`UPDATE holders SET company = 'Company ' || (id % 500) WHERE id % 10 = 0`);
db.exec(`UPDATE holders SET valid_until = '2020-01-01T00:00:00.000Z' WHERE id % 100 = 0`);
db.close();

const user: WebUser = { account: 'bench', role: 'admin' };
const opened = localCustodian(
  {
    database,
    cabinetId: 'bench',
    slotCount: SLOTS,
    pinPepperFile: join(dir, 'pin-pepper'),
    reader: {},
  },
  user,
);
const app = await createWebServer({
  logger: createLogger({ level: 'warn', pretty: false }),
  authenticate: () => user,
  modules: overviewAndPeopleModules(
    () => opened.client,
    () => user,
  ),
});

const urls = [
  '/api/people?limit=25',
  '/api/people?limit=25&offset=50000',
  '/api/people?text=holder%2012&limit=25',
  '/api/people?text=company%2042&limit=25',
  '/api/people?expired=true&limit=25',
  '/api/people?keysOut=false&enabled=true&limit=25',
  '/api/people/filters',
  '/api/people/4242',
  '/api/overview/slots',
  '/api/alarms',
  '/api/contractors/choices',
];
const results: Record<string, number> = {};
for (const url of urls) {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const response = await app.inject({ method: 'GET', url });
    samples.push(performance.now() - started);
    if (response.statusCode !== 200)
      throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
  samples.sort((a, b) => a - b);
  results[url] = Math.round(percentile(samples, 95) * 100) / 100;
}
await app.close();
opened.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ holders: HOLDERS, p95Ms: results }, null, 2));
const slow = Object.entries(results).filter(([, ms]) => ms >= 50);
if (slow.length > 0) {
  console.error(`over 50 ms: ${slow.map(([u, ms]) => `${u} ${ms} ms`).join(', ')}`);
  process.exitCode = 1;
}
