// The reference cloud decodes events from cloud.proto alone, so a payload added to the .proto
// must be added to its decoder too: an event it cannot name is dropped as unknown, and every
// test waiting for it times out far from the cause. This lists the .proto's Event payloads and
// checks the decoder names each one.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import t from 'tap';
import { decodeEvent } from '../../scripts/reference-cloud/event-decoder.js';

const PROTO = fileURLToPath(new URL('../../proto/zigbee_hubd/cloud/v1/cloud.proto', import.meta.url));

t.test('every Event payload in cloud.proto is decoded by the reference cloud', async (t) => {
  const root = new protobuf.Root().loadSync(PROTO, { keepCase: true });
  const Event = root.lookupType('zigbee_hubd.cloud.v1.Event');
  const payloads = Event.oneofs['payload']!.fieldsArray;
  t.ok(payloads.length >= 20, `${payloads.length} payloads`);
  for (const field of payloads) {
    // Reserved in the contract (cloud.proto says so); the hub has no automations to send it yet.
    if (field.name === 'automation_run') continue;
    const body = zero(field.resolvedType as protobuf.Type);
    let decoded: unknown;
    try {
      decoded = decodeEvent({ seq: 1, at_ms: 1, payload: field.name, [field.name]: body });
    } catch (error) {
      decoded = error;
    }
    t.match(decoded, { kind: field.name }, `${field.name} (field ${field.id}) is decoded`);
  }
});

/** A message as the loader hands it over with every field at its zero value, sub-messages too. */
function zero(type: protobuf.Type): Record<string, unknown> {
  if (type.fullName === '.google.protobuf.Struct') return {};
  const body = type.toObject(type.create({}), { defaults: true, enums: String, longs: Number, arrays: true });
  for (const sub of type.fieldsArray) {
    if (sub.resolvedType instanceof protobuf.Type && !sub.repeated && !sub.partOf) body[sub.name] = zero(sub.resolvedType);
  }
  return body;
}
