/**
 * The records the policy is decided from. These are plain data: the store loads them and the
 * domain decides; neither knows how the other works.
 */
export interface Holder {
  id: number;
  name: string;
  enabled: boolean;
}

export interface Credential {
  id: number;
  holderId: number;
  /** The card number as the reader delivers it (see hardware/README.md). */
  card: string;
  enabled: boolean;
}

export interface Key {
  id: number;
  /** The fob's tag as the fob reader reports it (upper-case hex). */
  tag: string;
  /** A label that need not reveal which lock the key opens. */
  label: string;
  homeSlot: number;
}

/** A holder may take the key whose home is this slot. */
export interface SlotPermission {
  holderId: number;
  slot: number;
}

export interface Loan {
  keyId: number;
  holderId: number;
  slot: number;
  /** Wall time (ms) the key left the cabinet. */
  outAtMs: number;
}
