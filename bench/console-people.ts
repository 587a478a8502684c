import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localCustodian } from '../src/app/local-custodian.js';
import { createLogger } from '../src/log/logger.js';
import { openDatabase } from '../src/store/database.js';
import { createWebServer } from '../src/web/create-web-server.js';
import { overviewAndPeopleModules } from '../src/web/routes/overview-and-people.js';
import type { WebUser } from '../src/web/web-context.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { seededRandom } from './prng.js';
import { cardNumber, seedHolders } from './seed-holders.js';
import { percentile } from './stats.js';

const SETTINGS = {
  holders: 100_000,
  slotCount: 24,
  rounds: 200,
  /** The goal (issue 12): every read route's p95 on the server under this. */
  goalP95Ms: 50,
  seed: 12,
} as const;

/**
 * Every people search the page can make, by filter and in combination, and the other read
 * routes of the overview, people and contractor pages. Broad searches (more than 1,000
 * matches: counting stops) and narrow ones (counted exactly) both, the slowest of each kind.
 */
const URLS = [
  '/api/people?limit=25',
  '/api/people?limit=25&offset=50000',
  '/api/people?text=holder%2012&limit=25',
  '/api/people?text=company%2042&limit=25',
  `/api/people?text=${cardNumber(4242)}&limit=25`,
  '/api/people?text=nobody%20by%20this%20name&limit=25',
  '/api/people?groupId=1&limit=25',
  '/api/people?groupId=2&limit=25',
  '/api/people?enabled=true&limit=25',
  '/api/people?enabled=false&limit=25',
  '/api/people?expired=true&limit=25',
  '/api/people?expired=false&limit=25',
  '/api/people?keysOut=true&limit=25',
  '/api/people?keysOut=false&limit=25',
  '/api/people?keysOut=false&enabled=true&limit=25',
  '/api/people?text=company%2042&expired=false&limit=25',
  '/api/people?text=holder%201&expired=true&limit=25',
  '/api/people?enabled=false&expired=true&limit=25',
  '/api/people?groupId=2&keysOut=true&limit=25',
  '/api/people?groupId=1&enabled=true&expired=false&keysOut=false&limit=25&offset=500',
  '/api/people?text=holder&groupId=1&enabled=true&expired=false&keysOut=false&limit=25',
  '/api/people/filters',
  '/api/people/4242',
  '/api/overview/slots',
  '/api/alarms',
  '/api/contractors/choices',
];

/**
 * The console's people and overview at scale (issue 12, figures): each read route's p95 on the
 * server with 100,000 holders, through the real routes and the application layer in this
 * process (`app.inject`, no network). README.md describes the data.
 */
export const consolePeople: Benchmark = {
  name: 'console-people',
  async run(): Promise<BenchmarkResult> {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-console-bench-'));
    try {
      const database = join(dir, 'cabinet.db');
      writeFileSync(join(dir, 'pin-pepper'), Buffer.alloc(32, 7), { mode: 0o600 });
      const seeded = seedHolders(database, {
        holders: SETTINGS.holders,
        slotCount: SETTINGS.slotCount,
        random: seededRandom(SETTINGS.seed),
      });
      seedPeople(database);
      const p95 = await measure(dir, database);
      const slow = Object.entries(p95).filter(([, ms]) => ms >= SETTINGS.goalP95Ms);
      const goalMet = slow.length === 0;
      const width = Math.max(...URLS.map((u) => u.length));
      return {
        lines: [
          `${SETTINGS.holders.toLocaleString('en')} holders (seeded in ` +
            `${(seeded.ms / 1000).toFixed(1)} s), the routes in this process, ` +
            `${SETTINGS.rounds} requests each; p95 (ms):`,
          ...Object.entries(p95).map(([url, ms]) => `  ${url.padEnd(width)} ${ms.toFixed(2)}`),
          `GOAL (every p95 < ${SETTINGS.goalP95Ms} ms): ${goalMet ? 'MET' : 'MISSED'}` +
            (goalMet ? '' : `, over it: ${slow.map(([u, ms]) => `${u} ${ms} ms`).join(', ')}`),
        ],
        data: { settings: SETTINGS, p95Ms: p95, goalMet },
        failed: false,
        goalMet,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * What the people filters select on: every tenth holder a contractor with a company (500
 * companies), every hundredth expired, every 150th disabled; a group of every fourth holder
 * and one of 40; ten keys out now and 20,000 loans returned before.
 */
function seedPeople(database: string): void {
  const db = openDatabase(database);
  try {
    const at = '2026-01-01T00:00:00.000Z';
    db.transaction(() => {
      db.exec(`UPDATE holders SET company = 'Company ' || (id % 500) WHERE id % 10 = 0`);
      db.exec(`UPDATE holders SET valid_until = '2020-01-01T00:00:00.000Z' WHERE id % 100 = 0`);
      db.exec(`UPDATE holders SET enabled = 0 WHERE id % 150 = 0`);
      db.prepare(
        `INSERT INTO access_groups (id, name, created_at) VALUES (1, 'Shift A', ?), (2, 'Auditors', ?)`,
      ).run(at, at);
      db.prepare(
        `INSERT INTO group_members (holder_id, group_id)
         SELECT id, 1 FROM holders WHERE id % 4 = 0
         UNION ALL SELECT id, 2 FROM holders WHERE id % 2500 = 7`,
      ).run();
      const loan = db.prepare(
        `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq, returned_at, returned_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const keys = db.prepare('SELECT id, home_slot AS slot FROM keys ORDER BY id').all() as Array<{
        id: number;
        slot: number;
      }>;
      for (let i = 0; i < 20_000; i++) {
        const key = keys[i % keys.length];
        if (key) loan.run(key.id, ((i * 7919) % SETTINGS.holders) + 1, key.slot, at, i, at, i);
      }
      // Ten keys out now, one of them to a member of the small group.
      keys.slice(0, 10).forEach((key, i) => {
        const holder = i === 0 ? 2507 : 1_000 + i * 3_331;
        loan.run(key.id, holder, key.slot, at, 20_000 + i, null, null);
      });
    })();
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

async function measure(dir: string, database: string): Promise<Record<string, number>> {
  const user: WebUser = { account: 'bench', role: 'admin' };
  const opened = localCustodian(
    {
      database,
      cabinetId: 'bench',
      slotCount: SETTINGS.slotCount,
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
  try {
    const results: Record<string, number> = {};
    for (const url of URLS) {
      const samples: number[] = [];
      for (let i = 0; i < SETTINGS.rounds; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url });
        samples.push(performance.now() - started);
        if (response.statusCode !== 200) {
          throw new Error(`${url}: ${response.statusCode} ${response.body}`);
        }
      }
      samples.sort((a, b) => a - b);
      results[url] = Math.round(percentile(samples, 95) * 100) / 100;
    }
    return results;
  } finally {
    await app.close();
    opened.close();
  }
}
