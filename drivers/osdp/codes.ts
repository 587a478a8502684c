/**
 * The command codes (control panel → reader) and reply codes (reader → control panel) this core
 * speaks, as OSDP v2.2 numbers them. The names are the specification's, without `osdp_`.
 */
export const CommandCode = {
  POLL: 0x60,
  ID: 0x61,
  CAP: 0x62,
  LSTAT: 0x64,
  ISTAT: 0x65,
  OSTAT: 0x66,
  RSTAT: 0x67,
  OUT: 0x68,
  LED: 0x69,
  BUZ: 0x6a,
  TEXT: 0x6b,
  COMSET: 0x6e,
  KEYSET: 0x75,
  CHLNG: 0x76,
  SCRYPT: 0x77,
} as const;

export type CommandName = keyof typeof CommandCode;

export const ReplyCode = {
  ACK: 0x40,
  NAK: 0x41,
  PDID: 0x45,
  PDCAP: 0x46,
  LSTATR: 0x48,
  ISTATR: 0x49,
  OSTATR: 0x4a,
  RSTATR: 0x4b,
  RAW: 0x50,
  FMT: 0x51,
  KEYPAD: 0x53,
  COM: 0x54,
  CCRYPT: 0x76,
  RMAC_I: 0x78,
  BUSY: 0x79,
} as const;

export type ReplyName = keyof typeof ReplyCode;

const commandNames = new Map<number, CommandName>(
  Object.entries(CommandCode).map(([name, code]) => [code, name as CommandName]),
);
const replyNames = new Map<number, ReplyName>(
  Object.entries(ReplyCode).map(([name, code]) => [code, name as ReplyName]),
);

export function commandName(code: number): CommandName | undefined {
  return commandNames.get(code);
}

export function replyName(code: number): ReplyName | undefined {
  return replyNames.get(code);
}

/**
 * Security block types (the SCB's second byte). 0x11-0x14 carry the handshake and have no MAC;
 * 0x15-0x18 are a running session's frames, each with a 4-byte MAC before the CRC (odd: a
 * command, even: a reply; 0x17/0x18 also have their data encrypted).
 */
export const SecurityBlockType = {
  /** CHLNG: the control panel's challenge. Data byte: 0 = SCBK-D, 1 = SCBK. */
  BEGIN: 0x11,
  /** CCRYPT: the reader's random number and cryptogram. Same data byte. */
  CLIENT_CRYPTOGRAM: 0x12,
  /** SCRYPT: the control panel's cryptogram. Same data byte. */
  SERVER_CRYPTOGRAM: 0x13,
  /** RMAC_I: the initial reply MAC. Data byte: 1 = the reader accepted our cryptogram. */
  INITIAL_RMAC: 0x14,
  COMMAND_MAC: 0x15,
  REPLY_MAC: 0x16,
  COMMAND_MAC_ENCRYPTED: 0x17,
  REPLY_MAC_ENCRYPTED: 0x18,
} as const;

/** True for the security block types whose frames end with a MAC. */
export function hasMac(securityBlockType: number): boolean {
  return securityBlockType >= 0x15 && securityBlockType <= 0x18;
}
