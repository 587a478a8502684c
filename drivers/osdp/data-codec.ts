import { OsdpError, type Checked } from './osdp-error.js';

/**
 * Reading and writing the data of one command or reply, field by field. A field that is missing
 * or out of range stops the read with a MALFORMED_DATA error naming the code and the field; the
 * throw never leaves {@link readData}, which returns it as a value.
 */
export class DataReader {
  private at = 0;

  constructor(
    private readonly data: Uint8Array,
    readonly name: string,
    readonly code: number,
  ) {}

  get remaining(): number {
    return this.data.length - this.at;
  }

  /** One byte; outside min–max it is refused, as the writer refuses to send it. */
  u8(field: string, max = 0xff, min = 0): number {
    if (this.remaining < 1) this.fail(field, 'is missing');
    const value = this.data[this.at] ?? 0;
    this.at += 1;
    if (value < min || value > max) {
      this.fail(field, `is ${value}, not ${min === max ? min : `${min}-${max}`}`);
    }
    return value;
  }

  u16(field: string): number {
    if (this.remaining < 2) this.fail(field, 'is missing');
    const value = (this.data[this.at] ?? 0) | ((this.data[this.at + 1] ?? 0) << 8);
    this.at += 2;
    return value;
  }

  u32(field: string): number {
    if (this.remaining < 4) this.fail(field, 'is missing');
    const value = Buffer.from(this.data.subarray(this.at, this.at + 4)).readUInt32LE(0);
    this.at += 4;
    return value;
  }

  bytes(length: number, field: string): Uint8Array {
    if (this.remaining < length) {
      this.fail(field, `needs ${length} bytes, ${this.remaining} left`);
    }
    const value = Uint8Array.from(this.data.subarray(this.at, this.at + length));
    this.at += length;
    return value;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }

  /** Groups the rest into records of `size` bytes each. */
  records<T>(size: number, field: string, read: (index: number) => T): T[] {
    if (this.remaining % size !== 0) {
      this.fail(field, `must be records of ${size} bytes (${this.remaining} bytes)`);
    }
    const count = this.remaining / size;
    return Array.from({ length: count }, (_, index) => read(index));
  }

  /** Refuses bytes left over after the last field. */
  end(): void {
    if (this.remaining > 0) this.fail('length', `has ${this.remaining} bytes too many`);
  }

  fail(field: string, why: string): never {
    throw new OsdpError('MALFORMED_DATA', `${this.name} data: ${field} ${why}`, {
      code: this.code,
      field,
    });
  }
}

export function readData<T>(
  data: Uint8Array,
  name: string,
  code: number,
  read: (reader: DataReader) => T,
): Checked<T> {
  try {
    const reader = new DataReader(data, name, code);
    const value = read(reader);
    reader.end();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof OsdpError) return { ok: false, error };
    throw error;
  }
}

/** Bytes for a command or reply's data; refuses values out of range (the caller's mistake). */
export class DataWriter {
  private readonly bytes: number[] = [];

  constructor(
    readonly name: string,
    readonly code: number,
  ) {}

  u8(field: string, value: number, max = 0xff, min = 0): this {
    this.check(field, value, min, max);
    this.bytes.push(value);
    return this;
  }

  u16(field: string, value: number): this {
    this.check(field, value, 0, 0xffff);
    this.bytes.push(value & 0xff, value >> 8);
    return this;
  }

  u32(field: string, value: number): this {
    this.check(field, value, 0, 0xffffffff);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.bytes.push(...buffer);
    return this;
  }

  raw(field: string, value: Uint8Array, length?: number): this {
    if (length !== undefined && value.length !== length) {
      this.invalid(field, `must be ${length} bytes, not ${value.length}`);
    }
    this.bytes.push(...value);
    return this;
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  invalid(field: string, why: string): never {
    throw new OsdpError('INVALID_ARGUMENT', `${this.name}: ${field} ${why}`, {
      code: this.code,
      field,
    });
  }

  private check(field: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.invalid(field, `must be an integer ${min}-${max}`);
    }
  }
}
