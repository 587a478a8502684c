import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { SIM_BCM_MAX } from '../../drivers/gpio/pin-claims.js';
import type { JsonSchema } from './json-schema.js';
import { IntegerEnum, StringEnum } from './schema-kinds.js';

/**
 * The hardware profile file's (hardware/*.json) one source of truth: its JSON Schema
 * (TypeBox), from which the file's type (RawProfile) and its validator (generated/, by Ajv)
 * derive. The schema checks shape, types and ranges; cross-field rules (slot numbering, pins
 * used twice, the header's pin range) are in profile-checks.ts because a schema cannot say
 * them readably. The loaded profile (profile-types.ts) is a normalised shape, not the file's.
 */

// The schema accepts any pin a simulated cabinet may use; profile-checks.ts limits the onoff
// driver to the header's range.

/** A pin as written in a profile file: a bare BCM number or an object. */
export type RawPin = number | { bcm: number; activeLow?: boolean };

function pin(title: string, description: string) {
  // A union of types rather than anyOf/oneOf: properties/required only apply to objects and
  // minimum/maximum only to numbers, so each mistake yields one readable error instead of a
  // cascade; Unsafe keeps the static type exact.
  return Type.Unsafe<RawPin>({
    title,
    description:
      `${description} Either a bare BCM number (active high) or ` +
      '{ "bcm": <number>, "activeLow": true } when "on" is the low level.',
    type: ['integer', 'object'],
    minimum: 0,
    maximum: SIM_BCM_MAX,
    properties: {
      bcm: {
        title: 'BCM number',
        description:
          'Broadcom GPIO number as printed on header diagrams (not the physical pin number and ' +
          'not the sysfs number). 0-27 on the Raspberry Pi 40-pin header.',
        type: 'integer',
        minimum: 0,
        maximum: SIM_BCM_MAX,
      },
      activeLow: {
        title: 'Active low',
        description:
          'True when the electrical level is low for "on", e.g. a switch to ground with a ' +
          'pull-up, or a relay board with an inverting input.',
        type: 'boolean',
        default: false,
      },
    },
    required: ['bcm'],
    additionalProperties: false,
  });
}

export const READER_PROTOCOLS = ['rdm6300', 'ascii-line', 'fob-line', 'osdp'] as const;

/** A card format as written in a profile: a Wiegand format's name, or raw bits of one length. */
export type RawCardFormat = 'H10301' | 'H10304' | { bits: number; as: 'decimal' | 'hex' };

function cardFormat() {
  // A type list rather than anyOf, as for pins: `pattern` only applies to strings and
  // properties/required only to objects, so a mistake gives one readable error.
  return Type.Unsafe<RawCardFormat>({
    title: 'Card format',
    description:
      '"H10301" (26-bit: facility 0-255, card 0-65535), "H10304" (37-bit: facility 0-65535, ' +
      'card 0-524287), or { "bits": <length>, "as": "decimal" | "hex" } for any other bit count ' +
      'taken whole as one number (docs/osdp.md, "Card numbers").',
    type: ['string', 'object'],
    pattern: '^(H10301|H10304)$',
    properties: {
      bits: {
        title: 'Bit count',
        description: 'The number of bits the reader sends for this kind of card.',
        type: 'integer',
        minimum: 1,
        maximum: 64,
      },
      as: {
        title: 'Written as',
        description:
          'How the bits, read as one number (first bit the most significant), are written in the ' +
          'card string: "decimal" digits, or "hex" digits padded to the bit count.',
        type: 'string',
        enum: ['decimal', 'hex'],
      },
    },
    required: ['bits', 'as'],
    additionalProperties: false,
  });
}

function osdpBus() {
  return Type.Object(
    {
      readers: Type.Array(
        Type.Object(
          {
            address: Type.Integer({
              title: 'Address',
              description:
                "The reader's OSDP address on the bus, 0-126 (127 is broadcast), as set on the " +
                'reader or with `keywarden osdp comset`.',
              minimum: 0,
              maximum: 126,
            }),
            name: Type.String({
              title: 'Name',
              description: 'For logs and `keywarden osdp status`, e.g. "front".',
              pattern: '^[a-z0-9][a-z0-9-]{0,31}$',
            }),
            role: Type.Optional(
              StringEnum(['badge', 'polled'], {
                title: 'Role',
                description:
                  '"badge": the cabinet\'s badge reader (exactly one): its cards and keys are ' +
                  'decided, it shows the feedback and its offline and tamper raise alarms. ' +
                  '"polled": another reader on the same bus (a second door not used yet, a ' +
                  'reader on the bench): kept online and supervised in the log, its cards and ' +
                  'keys never decided.',
                default: 'badge',
              }),
            ),
          },
          {
            title: 'OSDP reader',
            description: 'One reader (peripheral device) on the bus.',
            additionalProperties: false,
          },
        ),
        {
          title: 'Readers on the bus',
          description: 'Every reader on this RS-485 bus, polled in turn; addresses unique.',
          minItems: 1,
          maxItems: 16,
        },
      ),
      cardFormats: Type.Optional(
        Type.Array(cardFormat(), {
          title: 'Card formats',
          description:
            'How a card read becomes the card number holders are enrolled with, tried in order by ' +
            "bit count: the first format of the read's length decodes it. A read of a length " +
            'no format has is refused (garbled), never guessed.',
          minItems: 1,
          maxItems: 8,
          default: ['H10301', 'H10304'],
        }),
      ),
      secure: Type.Optional(
        StringEnum(['off', 'install', 'on'], {
          title: 'Secure Channel',
          description:
            '"on": every reader only with the cabinet\'s key (config readers.osdpKeyFile); ' +
            '"install": as "on", and a reader still on the public default key is moved to the ' +
            'cabinet\'s key once (set it back to "on" after installing); "off": plaintext, for ' +
            'readers without Secure Channel (anyone on the wires can read and forge cards).',
          default: 'on',
        }),
      ),
      feedback: Type.Optional(
        StringEnum(['reader', 'pi', 'both'], {
          title: 'Feedback',
          description:
            'Where granted, denied, awaiting PIN and alarms show: "reader" on the badge reader\'s ' +
            'LED and buzzer instead of the Pi\'s indicator pins, "pi" on the pins only, "both".',
          default: 'both',
        }),
      ),
    },
    {
      title: 'OSDP bus',
      description:
        'protocol osdp only, and required there: the readers on the RS-485 bus and how their ' +
        'reads and the feedback are handled (docs/osdp.md, "In the cabinet").',
      additionalProperties: false,
    },
  );
}

function reader<const P extends readonly (typeof READER_PROTOCOLS)[number][]>(
  title: string,
  description: string,
  protocols: P,
) {
  return Type.Object(
    {
      path: Type.String({
        title: 'Device path',
        description:
          "Serial device, e.g. /dev/serial0 or /dev/ttyUSB0, or 'sim:<name>' for the " +
          "simulator's in-process port. The config file's readers.badgePath/fobPath override it.",
        minLength: 1,
      }),
      baudRate: IntegerEnum([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400], {
        title: 'Baud rate',
        description: 'Serial speed in bits per second (8N1 is assumed).',
      }),
      protocol: StringEnum(protocols, {
        title: 'Protocol',
        description: 'Wire format of the reader (see hardware/README.md).',
      }),
      lineFormat: Type.Optional(
        StringEnum(['decimal', 'hex'], {
          title: 'Line format',
          description:
            'ascii-line only, and required there: how the card number on a line is written.',
        }),
      ),
      osdp: Type.Optional(osdpBus()),
      silenceMs: Type.Optional(
        Type.Integer({
          title: 'Silence timeout (ms)',
          description:
            'For a reader that sends something periodically (a heartbeat, a repeated inventory): ' +
            'after this long without a byte it is offline (the reader.offline alarm) until its ' +
            'next byte. 0 disables it: most readers are silent when nothing happens. Not for ' +
            'osdp, whose readers are polled and offline after 8 s without a reply.',
          minimum: 0,
          maximum: 3_600_000,
          default: 0,
        }),
      ),
    },
    { title, description, additionalProperties: false },
  );
}

/** An optional contact input: its pin (activeLow when the contact pulls low) and a debounce. */
function contactInput<P extends TProperties>(title: string, description: string, extra: P) {
  return Type.Object(
    {
      pin: pin('Pin', 'Input; on = active (tampered, power failed, emergency declared).'),
      debounceMs: Type.Optional(
        Type.Integer({
          title: 'Debounce (ms)',
          description:
            'How long the contact must hold a new level before it counts: relay and switch ' +
            'contacts bounce, and a mains-fail relay chatters as the supply sags.',
          minimum: 0,
          maximum: 10_000,
          default: 50,
        }),
      ),
      ...extra,
    },
    { title, description, additionalProperties: false },
  );
}

export const ProfileSchema = Type.Object(
  {
    model: Type.String({
      title: 'Model',
      description: 'Short model name, reported in status messages, e.g. "rpi-8slot".',
      minLength: 1,
      maxLength: 64,
    }),
    description: Type.String({
      title: 'Description',
      description: 'One sentence for people: what cabinet this profile describes.',
    }),
    gpio: Type.Object(
      {
        driver: StringEnum(['sim', 'onoff', 'chardev'], {
          title: 'GPIO driver',
          description:
            "'chardev' drives the Raspberry Pi header through the kernel's GPIO character " +
            "device (/dev/gpiochipN) with libgpiod 2's tools (Debian package gpiod, Trixie and " +
            "later): chip found by label, lines by name, immune to the kernels' renumbering. " +
            "'onoff' drives it through sysfs (/sys/class/gpio, deprecated; Bookworm). 'sim' is " +
            'the in-process simulator used for the demo and tests. See hardware/README.md.',
        }),
        chipLabels: Type.Optional(
          Type.Array(
            Type.String({
              title: 'Chip label',
              description: 'e.g. pinctrl-bcm2711',
              minLength: 1,
            }),
            {
              title: 'GPIO chip labels',
              description:
                'onoff and chardev: labels of the header GPIO chip, tried in order (default ' +
                'pinctrl-bcm2835, pinctrl-bcm2711, pinctrl-rp1). onoff reads them from ' +
                '/sys/class/gpio/gpiochip*/label and adds the chip base found at run time to ' +
                'each BCM number, because kernel 6.6+ offsets sysfs numbers (512 on a Pi 4, 571 ' +
                'on a Pi 5); chardev finds the /dev/gpiochipN carrying the label (gpiodetect).',
              minItems: 1,
            },
          ),
        ),
      },
      { title: 'GPIO', description: 'How pins are driven.', additionalProperties: false },
    ),
    slotCount: Type.Integer({
      title: 'Slot count',
      description: 'Number of key slots; must equal the number of entries in slots.',
      minimum: 1,
      maximum: 64,
    }),
    slots: Type.Array(
      Type.Object(
        {
          number: Type.Integer({
            title: 'Slot number',
            description: 'Position from 1, as labelled on the cabinet; entry i must be number i+1.',
            minimum: 1,
          }),
          solenoid: pin(
            'Solenoid',
            'Output; on = energised = key released. Fail secure: unpowered keeps the key locked.',
          ),
          keyPresent: pin('Key-present switch', 'Input; on = a key (fob) is in the slot.'),
        },
        {
          title: 'Slot',
          description:
            'A key slot: the solenoid that releases its key and the switch that sees it.',
          additionalProperties: false,
        },
      ),
      {
        title: 'Slots',
        description: 'One entry per key slot, numbered 1..slotCount in order.',
        minItems: 1,
      },
    ),
    door: Type.Object(
      {
        lock: pin(
          'Door lock',
          'Output; on = unlocked. Fail secure: unpowered keeps the door locked.',
        ),
        sensor: pin('Door sensor', 'Input; on = door open.'),
      },
      {
        title: 'Door',
        description: 'The cabinet door lock and its sensor.',
        additionalProperties: false,
      },
    ),
    indicators: Type.Object(
      {
        green: pin('Green LED', 'Output; on = lit (access granted, return accepted).'),
        red: pin('Red LED', 'Output; on = lit (access denied, alarm).'),
        buzzer: pin('Buzzer', 'Output; on = sounding (an active buzzer that beeps when powered).'),
      },
      {
        title: 'Indicators',
        description: 'Feedback for the person at the cabinet.',
        additionalProperties: false,
      },
    ),
    solenoids: Type.Object(
      {
        maxOnMs: Type.Integer({
          title: 'Maximum on time (ms)',
          description:
            'Longest a solenoid stays energised in one go; coils are rated for short duty and ' +
            'overheat if held.',
          minimum: 100,
          maximum: 60000,
        }),
        maxConcurrent: Type.Integer({
          title: 'Maximum energised at once',
          description: 'How many solenoids may be on together; bounded by the supply current.',
          minimum: 1,
        }),
        minOffMs: Type.Integer({
          title: 'Minimum off time (ms)',
          description: 'Rest after a solenoid is switched off before it may be energised again.',
          minimum: 0,
          maximum: 60000,
        }),
      },
      {
        title: 'Solenoid limits',
        description:
          'Limits that protect the solenoids and their power supply whatever the software above asks.',
        additionalProperties: false,
      },
    ),
    readers: Type.Object(
      {
        badge: reader('Badge reader', 'Reads the card of the person at the cabinet.', [
          'rdm6300',
          'ascii-line',
          'osdp',
        ]),
        fob: reader('Fob reader', 'Reports which key fob is in which slot.', ['fob-line']),
      },
      {
        title: 'Readers',
        description:
          'Serial readers: the badge reader at the front and the fob reader behind the slots.',
        additionalProperties: false,
      },
    ),
    inputs: Type.Optional(
      Type.Object(
        {
          tamper: Type.Optional(
            contactInput(
              'Tamper switch',
              'While active the cabinet.tamper alarm is raised (housing opened, cabinet torn off ' +
                'the wall); it clears when the input returns to normal.',
              {},
            ),
          ),
          powerFail: Type.Optional(
            contactInput(
              'Power-fail input',
              'From a UPS or mains monitor: while active the power.failed alarm is raised; ' +
                'power.restored when it returns to normal.',
              {},
            ),
          ),
          emergency: Type.Optional(
            contactInput(
              'Emergency input',
              'A fire-alarm relay or a manual emergency switch: while active the cabinet releases ' +
                'what "releases" says (emergency.started / emergency.ended, source input).',
              {
                releases: Type.Optional(
                  StringEnum(['door', 'door_and_slots'], {
                    title: 'Releases',
                    description:
                      '"door": the door only (keys stay locked in their slots); "door_and_slots": ' +
                      "the door and every slot. A short anywhere along a plain contact's cable " +
                      'declares an emergency, so the default releases the door only.',
                    default: 'door',
                  }),
                ),
                // Supervision: a short or a cut of one wire makes the two contacts disagree, and
                // a disagreement releases nothing (hardware/README.md, "Emergency input").
                confirmPin: Type.Optional(
                  pin(
                    'Confirming contact',
                    'A second contact of the same relay on its own wire (best of the opposite ' +
                      'kind: normally closed where the first is normally open). The emergency ' +
                      'starts only when both are active and ends only when both are normal.',
                  ),
                ),
                disagreeMs: Type.Optional(
                  Type.Integer({
                    title: 'Disagreement before trouble (ms)',
                    description:
                      'With confirmPin: the two contacts disagreeing for this long raises ' +
                      'cabinet.tamper (a wiring fault or interference) and releases nothing; it ' +
                      'clears when they agree again.',
                    minimum: 0,
                    maximum: 60_000,
                    default: 1000,
                  }),
                ),
              },
            ),
          ),
        },
        {
          title: 'Optional inputs',
          description:
            'Contacts a cabinet may have besides its slots and door. Each is optional; ' +
            'hardware/README.md shows how to wire them.',
          additionalProperties: false,
        },
      ),
    ),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Keywarden hardware profile',
    description:
      'What a key cabinet is: its slots and their pins, the door, the indicators, the solenoid ' +
      'limits and the readers. One file per cabinet model in hardware/.',
    additionalProperties: false,
  },
);

/** A profile file that has passed the schema: every required field present, typed. */
export type RawProfile = Static<typeof ProfileSchema>;

/** The profile file's JSON Schema as plain JSON (TypeBox's symbol keys are not copied). */
export function profileFileSchema(): JsonSchema {
  return JSON.parse(JSON.stringify(ProfileSchema)) as JsonSchema;
}
