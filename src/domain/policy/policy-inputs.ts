import type { PolicyInputs } from '../access-decision.js';
import type { CabinetDirectory } from '../cabinet-directory.js';

/** Looks up what the decision needs beyond the holder's permissions; the zone is configuration. */
export function policyInputsOf(
  directory: CabinetDirectory,
  holderId: number,
  timeZone: string,
): PolicyInputs {
  return {
    groupIds: directory.groupsOf(holderId),
    grants: directory.grantsOf(holderId),
    unreleasableSlots: directory.unreleasableSlots(),
    timeZone,
  };
}
