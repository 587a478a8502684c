import type { MonitorNotice } from './fleet-monitor.js';

/**
 * One line per notice for people; undefined for what is not worth a line (duplicates, which
 * QoS 1 and replays produce as a matter of course). Trouble starts with `!!` so it stands out
 * and can be grepped.
 */
export function formatNotice(notice: MonitorNotice): string | undefined {
  switch (notice.kind) {
    case 'event': {
      const { event } = notice;
      const clock = event.clockSynced ? '' : ' (clock not synchronised)';
      return `${notice.cabinetId} #${event.seq} ${event.type} ${event.time}${clock} ${JSON.stringify(event.data)}`;
    }
    case 'duplicate':
      return undefined;
    case 'conflict':
      return `!! ${notice.cabinetId} #${notice.seq}: ANOTHER EVENT WITH THIS SEQ (id ${notice.id}, before ${notice.knownId}): the cabinet's database was replaced or restored`;
    case 'gap': {
      const range =
        notice.from === notice.to ? `#${notice.from}` : `#${notice.from}..#${notice.to}`;
      return `!! ${notice.cabinetId}: GAP: ${range} missing`;
    }
    case 'chain': {
      const why =
        notice.reason === 'hash_mismatch'
          ? 'the event does not match its own hash'
          : `its prevHash is not the hash of #${notice.seq - 1}`;
      return `!! ${notice.cabinetId} #${notice.seq}: CHAIN BROKEN: ${why}`;
    }
    case 'status': {
      // The status is whatever JSON the cabinet sent: a seq shown as JSON never reads [object Object].
      const s = notice.status;
      const counters =
        s.lastAckedSeq === undefined
          ? ''
          : `, outbox ${String(s.outboxDepth)}, acknowledged #${JSON.stringify(s.lastAckedSeq)}`;
      return `${notice.cabinetId}: ${String(s.state)} (Keywarden ${String(s.version)}, started ${String(s.startedAt)}${counters})`;
    }
    case 'ack':
      return `${notice.cabinetId}: acknowledged up to #${notice.seq}`;
    case 'replay':
      return `${notice.cabinetId}: asked for a replay from #${notice.fromSeq} (command ${notice.commandId})`;
    case 'reply': {
      const r = notice.reply;
      const detail =
        r.status === 'ok' ? JSON.stringify(r.result) : `${String(r.reason)}: ${String(r.message)}`;
      const mark = r.status === 'ok' ? '' : '!! ';
      return `${mark}${notice.cabinetId}: ${String(r.name)} ${String(r.commandId)} ${String(r.status)} ${detail}`;
    }
    case 'invalid':
      return `!! ${notice.topic}: does not match the contract: ${notice.problems.join('; ')}`;
    case 'problem':
      return `!! ${notice.message}`;
  }
}
