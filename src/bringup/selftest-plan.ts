import type { HardwareProfile } from '../config/profile.js';

/** The parts of a cabinet the self test checks, in the order it checks them. */
export const SELFTEST_PARTS = ['solenoids', 'door', 'indicators', 'badge', 'fobs'] as const;
export type SelftestPart = (typeof SELFTEST_PARTS)[number];

export type SelftestStep =
  | { kind: 'solenoid'; slot: number; index: number }
  | { kind: 'door-lock' }
  | { kind: 'door-contact' }
  | { kind: 'indicator'; which: 'green' | 'red' | 'buzzer' }
  | { kind: 'badge' }
  | { kind: 'fob'; slot: number };

/**
 * The steps for the chosen parts (all by default), optionally only some slots: an installer
 * who rewired slot 5 checks slot 5, not the whole cabinet again.
 */
export function planSelftest(
  profile: HardwareProfile,
  parts: readonly SelftestPart[] = SELFTEST_PARTS,
  slots?: readonly number[],
): SelftestStep[] {
  const chosen = profile.slots
    .map((slot, index) => ({ slot: slot.number, index }))
    .filter(({ slot }) => slots === undefined || slots.includes(slot));
  const steps: SelftestStep[] = [];
  for (const part of SELFTEST_PARTS) {
    if (!parts.includes(part)) continue;
    switch (part) {
      case 'solenoids':
        for (const { slot, index } of chosen) steps.push({ kind: 'solenoid', slot, index });
        break;
      case 'door':
        steps.push({ kind: 'door-lock' }, { kind: 'door-contact' });
        break;
      case 'indicators':
        for (const which of ['green', 'red', 'buzzer'] as const) {
          steps.push({ kind: 'indicator', which });
        }
        break;
      case 'badge':
        steps.push({ kind: 'badge' });
        break;
      case 'fobs':
        for (const { slot } of chosen) steps.push({ kind: 'fob', slot });
        break;
    }
  }
  return steps;
}

/** A step's name in the report: "slot 3 solenoid", "door contact". */
export function stepName(step: SelftestStep): string {
  switch (step.kind) {
    case 'solenoid':
      return `slot ${step.slot} solenoid and key switch`;
    case 'door-lock':
      return 'door lock';
    case 'door-contact':
      return 'door contact';
    case 'indicator':
      return step.which === 'buzzer' ? 'buzzer' : `${step.which} LED`;
    case 'badge':
      return 'badge reader';
    case 'fob':
      return `slot ${step.slot} fob`;
  }
}
