/**
 * One daemon read shared by the console pages that re-read the same thing after a live change.
 *
 * When the live feed tells its pages that the cabinet changed, every open overview asks for the
 * slot map and the alarms within a few milliseconds: twenty pages made forty requests to the
 * daemon, answered on the event loop that a badge at the cabinet also needs (bench/
 * console-streams.ts measured the badge's p99 rise). What every viewer sees is the same, so one
 * read serves them all, without any of them seeing less than it asked for:
 *
 * - a page re-reading after a change names the change's `seq` ("at least this fresh"); a read
 *   is shared only among requests naming the latest seq the feed announced, and only reads
 *   started after that announcement are shared, so each holds every event up to it (the feed
 *   announces the later ones);
 * - a request naming no seq (a page's first read, a read after its own change, an integrator)
 *   or an older or unknown one reads afresh, as if nothing were shared.
 *
 * The caller has already checked the session and its role: sharing changes who asked the daemon,
 * never who may see the answer. A failed read is not shared: the others then ask for themselves.
 */
export class SharedReads {
  private announced: number | null = null;
  private readonly reads = new Map<string, Promise<unknown>>();

  /** The live feed announced the events up to `seq`: reads from before it are not shared. */
  changed(seq: number): void {
    this.announced = seq;
    this.reads.clear();
  }

  /** `read()`'s answer, or that of the same read started since `seenSeq` was announced. */
  read<T>(key: string, seenSeq: number | undefined, read: () => Promise<T>): Promise<T> {
    if (seenSeq === undefined || seenSeq !== this.announced) return read();
    const shared = this.reads.get(key) as Promise<T> | undefined;
    if (shared !== undefined) return shared.catch(() => read());
    const answer = read();
    this.reads.set(key, answer);
    answer.catch(() => {
      if (this.reads.get(key) === answer) this.reads.delete(key);
    });
    return answer;
  }
}
