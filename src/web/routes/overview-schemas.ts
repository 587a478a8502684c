import { Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** One slot of the overview's map: its key, what hangs there, who has it since when, due when. */
export const SlotSchema = Type.Object({
  slot: Type.Integer(),
  enabled: Type.Boolean(),
  keyId: Type.Union([Type.Integer(), Type.Null()]),
  keyLabel: Nullable(Type.String()),
  keyState: Nullable(Type.String()),
  status: Type.Union([Type.Literal('in'), Type.Literal('out'), Type.Literal('empty')]),
  inSlot: Nullable(Type.String()),
  outWith: Type.Union([Type.Integer(), Type.Null()]),
  holderName: Nullable(Type.String()),
  outSince: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
});

const ActorSchema = Type.Object({ kind: Type.String(), account: Type.String() });

/** An alarm in force, with its acknowledgement. */
export const AlarmSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  slot: Type.Union([Type.Integer(), Type.Null()]),
  reader: Nullable(Type.String()),
  since: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  acknowledged: Type.Union([
    Type.Object({ actor: ActorSchema, note: Type.String(), at: Type.String() }),
    Type.Null(),
  ]),
});

export const SlotsSchema = Type.Array(SlotSchema);
export const AlarmsSchema = Type.Array(AlarmSchema);
