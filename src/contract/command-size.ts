/**
 * How large a command may be (docs/mqtt.md, "Format"). The cabinet refuses anything larger
 * before reading it, and tells the broker so at connect: the MQTT 5 Maximum Packet Size below
 * makes the broker drop a larger packet instead of delivering it (a 200 MB publish on `cmd/+`
 * would otherwise be read into memory whole before any check could run).
 */

/** A permission set of 100,000 holders is a few MiB; 32 MiB leaves room and bounds memory. */
export const MAX_SYNC_BYTES = 32 * 1024 * 1024;
/** Every other command is a few hundred bytes. */
export const MAX_COMMAND_BYTES = 64 * 1024;
/**
 * The largest packet the cabinet accepts from the broker: the largest command plus room for
 * the PUBLISH header, its topic and its properties (a response topic, correlation data).
 */
export const MAX_PACKET_BYTES = MAX_SYNC_BYTES + 64 * 1024;
