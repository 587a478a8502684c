import { reconcile } from '../reconciliation.js';
import type { StepDraft } from './step-draft.js';

/** Each difference between the slots and the loans becomes an event (reconciliation.ts). */
export function reconcileSlots(draft: StepDraft): void {
  for (const d of reconcile(draft.slots, draft.alarms, draft.ctx.directory)) {
    const keyRef = { keyId: d.key.id, keyLabel: d.key.label, slot: d.slot };
    if (d.kind === 'missing') {
      draft.record({ type: 'key.missing', data: keyRef });
      continue;
    }
    draft.record({
      type: 'key.returned_unrecorded',
      data: {
        ...keyRef,
        holderId: d.loan.holderId,
        holderName: draft.ctx.directory.holder(d.loan.holderId)?.name ?? '',
        outAt: new Date(d.loan.outAtMs).toISOString(),
      },
    });
  }
}
