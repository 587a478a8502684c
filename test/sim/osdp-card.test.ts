import { expect, it } from 'vitest';
import { cardNumberOf } from '../../drivers/osdp/osdp-card-number.js';
import { RawFormat } from '../../drivers/osdp/replies.js';
import { encodeCard } from '../../drivers/osdp/wiegand.js';
import { h10301Card } from '../../src/sim/osdp-card.js';

/** The simulator's card strings for the OSDP reader are exactly what the cabinet makes of a read. */
it('round-trips through the 26 bits the reader sends and the cabinet decodes', () => {
  for (const card of ['04201001', '00000000', '25565535', '01234567']) {
    const presented = h10301Card(card);
    if (!('facility' in presented)) throw new Error('not a Wiegand card');
    const { bitCount, data } = encodeCard('H10301', presented.facility, presented.card);
    const read = { reader: 0, format: RawFormat.WIEGAND, bitCount, data };
    expect(cardNumberOf(read, [{ kind: 'wiegand', format: 'H10301' }])).toEqual({ ok: true, card });
  }
});

it('refuses what no H10301 card carries', () => {
  for (const card of ['25600000', '00065536', '0420100', '042010011', '100086F444', '0420 001']) {
    expect(() => h10301Card(card), card).toThrow(RangeError);
  }
});
