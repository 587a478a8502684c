import type { ReaderName } from '../cabinet-state.js';
import type { StepDraft } from './step-draft.js';

// The cabinet's own health: its serial readers' presence, the tamper switch and the
// power-fail input, each an alarm while it lasts.

/**
 * A reader went away or came back. One alarm per reader and outage: `reader.offline` while it
 * is away, `reader.online` and `alarm.cleared` when it is back. A reader online from the
 * start says nothing.
 */
export function readerStatus(
  draft: StepDraft,
  reader: ReaderName,
  online: boolean,
  reason: string | undefined,
): void {
  const away = draft.alarms.some((a) => a.type === 'reader.offline' && a.reader === reader);
  if (!online && !away) {
    draft.record({ type: 'reader.offline', data: { reader, reason: reason ?? 'unknown' } });
  } else if (online && away) {
    draft.record({ type: 'reader.online', data: { reader } });
    draft.clearAlarm('reader.offline', undefined, reader);
  }
}

/**
 * A reader's own tamper report: `reader.tampered` while it lasts, one per reader, cleared when
 * the reader reports its switch normal. A broken Secure Channel raises it too and nothing but a
 * normal tamper report (or a restart) clears it: someone forged or replayed a frame on the bus,
 * and a person should look at the wiring.
 */
export function readerTamper(
  draft: StepDraft,
  reader: ReaderName,
  active: boolean,
  reason: string,
): void {
  const raised = draft.alarms.some((a) => a.type === 'reader.tampered' && a.reader === reader);
  if (active && !raised) draft.record({ type: 'reader.tampered', data: { reader, reason } });
  else if (!active && raised) draft.clearAlarm('reader.tampered', undefined, reader);
}

/** The tamper switch: `cabinet.tamper` while active, cleared when it returns to normal. */
export function tamper(draft: StepDraft, active: boolean): void {
  const raised = draft.alarms.some((a) => a.type === 'cabinet.tamper');
  if (active && !raised) draft.record({ type: 'cabinet.tamper', data: {} });
  else if (!active && raised) draft.clearAlarm('cabinet.tamper');
}

/** The power-fail input: `power.failed` while lost; `power.restored` and the clearing after. */
export function power(draft: StepDraft, failed: boolean): void {
  const raised = draft.alarms.some((a) => a.type === 'power.failed');
  if (failed && !raised) draft.record({ type: 'power.failed', data: {} });
  else if (!failed && raised) {
    draft.record({ type: 'power.restored', data: {} });
    draft.clearAlarm('power.failed');
  }
}
