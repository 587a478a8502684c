import { CapabilityFunction, type Capability, type ReaderIdentity } from '../replies.js';

/**
 * What a simulated reader says about itself: its PDID and a PDCAP that describes what it really
 * does, so a control panel that trusts the capabilities (check mode, Secure Channel, whether the
 * default key is still in, buffer size) is not misled.
 */

/**
 * The largest frame the reader takes: the PDCAP says so, and its decoder refuses longer frames
 * (libosdp's default buffer is the same size).
 */
export const RECEIVE_BUFFER_SIZE = 256;

/** Vendor code of the simulator: a locally administered OUI (the 0x02 bit), no real vendor's. */
export const SIM_VENDOR_CODE = Uint8Array.of(0x0a, 0x4b, 0x57);

export const defaultIdentity: ReaderIdentity = {
  vendorCode: SIM_VENDOR_CODE,
  model: 1,
  version: 1,
  serialNumber: 1,
  firmware: { major: 1, minor: 0, build: 0 },
};

/** The client UID a reader shows in its CCRYPT: vendor code, model and serial number. */
export function clientUidOf(identity: ReaderIdentity): Uint8Array {
  const uid = new Uint8Array(8);
  uid.set(identity.vendorCode.subarray(0, 3), 0);
  uid[3] = identity.model;
  new DataView(uid.buffer).setUint32(4, identity.serialNumber >>> 0, true);
  return uid;
}

export interface CapabilityFacts {
  inputs: number;
  outputs: number;
  leds: number;
  secureChannel: boolean;
  /** The reader still holds the published default key SCBK-D (install mode). */
  defaultKey: boolean;
}

/** Compliance levels as OSDP v2.2's capability table numbers them. */
const CONTACT_STATUS_NORMAL = 1;
const OUTPUT_ON_OFF = 1;
const CARD_DATA_AS_BITS = 1;
const LED_TIMED_ANY_COLOUR = 4;
const AUDIBLE_TIMED = 2;
const TEXT_ONE_ROW_16 = 1;
const CRC_SUPPORTED = 1;
const AES_128 = 1;
const OSDP_2_2 = 2;

export function capabilitiesOf(facts: CapabilityFacts): Capability[] {
  const capabilities: Capability[] = [];
  const add = (functionCode: number, compliance: number, count: number) =>
    capabilities.push({ functionCode, compliance, count });
  if (facts.inputs > 0) add(CapabilityFunction.CONTACT_STATUS, CONTACT_STATUS_NORMAL, facts.inputs);
  if (facts.outputs > 0) add(CapabilityFunction.OUTPUT_CONTROL, OUTPUT_ON_OFF, facts.outputs);
  add(CapabilityFunction.CARD_DATA_FORMAT, CARD_DATA_AS_BITS, 0);
  add(CapabilityFunction.READER_LED, LED_TIMED_ANY_COLOUR, facts.leds);
  add(CapabilityFunction.READER_AUDIBLE, AUDIBLE_TIMED, 1);
  add(CapabilityFunction.READER_TEXT, TEXT_ONE_ROW_16, 1);
  add(CapabilityFunction.CHECK_CHARACTER, CRC_SUPPORTED, 0);
  add(
    CapabilityFunction.COMMUNICATION_SECURITY,
    facts.secureChannel ? AES_128 : 0,
    facts.secureChannel && facts.defaultKey ? 1 : 0,
  );
  // Buffer sizes: the compliance byte holds the low byte, the count the high one.
  add(CapabilityFunction.RECEIVE_BUFFER_SIZE, RECEIVE_BUFFER_SIZE & 0xff, RECEIVE_BUFFER_SIZE >> 8);
  add(CapabilityFunction.OSDP_VERSION, OSDP_2_2, 0);
  return capabilities;
}
