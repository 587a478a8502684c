import type { Database } from 'better-sqlite3';

/**
 * The retained topics the cabinet published for Home Assistant (migrations/016): what it must
 * clear when discovery is turned off or an entity goes. src/mqtt/home-assistant.ts uses it.
 */
export class SqliteHomeAssistantTopics {
  constructor(private readonly db: Database) {}

  list(): string[] {
    const rows = this.db.prepare('SELECT topic FROM home_assistant_topics ORDER BY topic').all();
    return (rows as Array<{ topic: string }>).map((row) => row.topic);
  }

  /** Records topics about to be published; those already listed stay as they are. */
  add(topics: readonly string[]): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO home_assistant_topics (topic) VALUES (?)',
    );
    this.db.transaction(() => {
      for (const topic of topics) insert.run(topic);
    })();
  }

  /** Forgets a topic once the broker has acknowledged its clearing. */
  remove(topic: string): void {
    this.db.prepare('DELETE FROM home_assistant_topics WHERE topic = ?').run(topic);
  }
}
