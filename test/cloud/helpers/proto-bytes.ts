// A few CloudMessages encoded by hand, byte by byte from cloud.proto, the way an independent
// platform's stack would put them on the wire: shapes the gateway's own encoder would never
// produce (a Struct nested 50 deep, a 5 MB command, a 1 MB id).

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2). */
function field(number: number, payload: Buffer | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

/** A varint field (wire type 0). */
function varintField(number: number, value: number): Buffer {
  return Buffer.concat([varint(number << 3), varint(value)]);
}

/** google.protobuf.Struct with one key; Value.string_value = 3, Value.struct_value = 5. */
function struct(key: string, value: { string: string } | { struct: Buffer }): Buffer {
  const encodedValue = 'string' in value ? field(3, value.string) : field(5, value.struct);
  return field(1, Buffer.concat([field(1, key), field(2, encodedValue)])); // map entry: key 1, value 2
}

/** {"a": {"a": ... {"state": "ON"}}}, `depth` Structs in all. */
export function nestedState(depth: number): Buffer {
  let inner = struct('state', { string: 'ON' });
  for (let level = 1; level < depth; level++) inner = struct('a', { struct: inner });
  return inner;
}

export interface RawCommand {
  id: string;
  expiresAtMs?: number;
  ieee?: string;
  /** An encoded Struct for SetState.state. */
  state: Buffer;
}

/** CloudMessage { command (3): Command { id 1, expires_at_ms 2, set_state 10 { ieee 1, state 2 } } } */
export function setStateCommand({ id, expiresAtMs, ieee = '0x00124b0001abcd01', state }: RawCommand): Buffer {
  const command = Buffer.concat([
    field(1, id),
    ...(expiresAtMs !== undefined ? [varintField(2, expiresAtMs)] : []),
    field(10, Buffer.concat([field(1, ieee), field(2, state)])),
  ]);
  return field(3, command);
}

export function stringState(key: string, value: string): Buffer {
  return struct(key, { string: value });
}
