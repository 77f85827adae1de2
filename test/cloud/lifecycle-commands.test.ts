// The device lifecycle commands (rename, room, re-interview, re-configure) survive real
// protobuf encoding unchanged, and garbage versions of them are refused with a reason a
// person can act on, before anything reaches the executor.
import t from 'tap';
import type { HubCommand } from '../../daemon/domain/events.js';
import { decodeCommand, encodeCommand } from '../../daemon/cloud/command-codec.js';
import { hubLinkService } from '../../daemon/cloud/proto.js';
import type { CloudMessage, WireCommand } from '../../daemon/cloud/wire.js';

const connect = hubLinkService.Connect!;
const overCloudWire = (message: CloudMessage) => connect.responseDeserialize(connect.responseSerialize(message)) as CloudMessage;
const overWire = (command: WireCommand) => overCloudWire({ command }).command!;

const IEEE = '0x00124b0001abcd01';

t.test('every lifecycle command round-trips through protobuf', async (t) => {
  const commands: HubCommand[] = [
    { kind: 'rename_device', id: 'r-1', ieee: IEEE, name: 'Kitchen lamp', expiresAt: 1_763_000_000_000 },
    { kind: 'rename_device', id: 'r-2', ieee: IEEE, name: 'Ünïcode ✓ name' },
    { kind: 'set_room', id: 'r-3', ieee: IEEE, room: 'Kitchen' },
    { kind: 'set_room', id: 'r-4', ieee: IEEE, room: null },
    { kind: 'reinterview_device', id: 'r-5', ieee: IEEE },
    { kind: 'reconfigure_device', id: 'r-6', ieee: IEEE, expiresAt: 1 },
    { kind: 'remove_device', id: 'r-7', ieee: IEEE, force: false },
  ];
  for (const command of commands) {
    const wire = overCloudWire({ command: encodeCommand(command) });
    t.equal(wire.body, 'command');
    t.strictSame(decodeCommand(wire.command!), { ok: true, command }, command.id);
  }
});

t.test('each new command is its own oneof member, distinct from the old ones', async (t) => {
  const actions = ['rename_device', 'set_room', 'reinterview_device', 'reconfigure_device'] as const;
  for (const action of actions) {
    const decoded = overWire({ id: 'x', [action]: { ieee: IEEE, ...(action === 'rename_device' ? { name: 'n' } : {}) } });
    t.equal(decoded.action, action, `${action} arrives as ${action}`);
  }
  // Room absent and room given are told apart on the wire (proto3 optional).
  t.notOk('room' in overWire({ id: 'y', set_room: { ieee: IEEE } }).set_room!, 'absent room stays absent');
  t.equal(overWire({ id: 'z', set_room: { ieee: IEEE, room: 'Hall' } }).set_room!.room, 'Hall');
});

t.test('names and rooms are trimmed; ieee is normalised to lower case', async (t) => {
  t.match(decodeCommand({ id: 'a', rename_device: { ieee: '0x00124B0001ABCD01', name: '  Desk lamp ' } }), {
    ok: true,
    command: { kind: 'rename_device', ieee: IEEE, name: 'Desk lamp' },
  });
  t.match(decodeCommand({ id: 'b', set_room: { ieee: IEEE, room: ' Office\t' } }), { ok: true, command: { room: 'Office' } });
});

t.test('garbage lifecycle commands are refused with clear reasons', async (t) => {
  const cases: Array<{ wire: WireCommand; error: RegExp }> = [
    { wire: { id: 'g-1', rename_device: { name: 'Lamp' } }, error: /^invalid: rename_device needs ieee as 0x \+ 16 hex digits$/ },
    { wire: { id: 'g-2', rename_device: { ieee: 'kitchen', name: 'Lamp' } }, error: /rename_device needs ieee/ },
    { wire: { id: 'g-3', rename_device: { ieee: IEEE } }, error: /^invalid: rename_device name must not be empty$/ },
    { wire: { id: 'g-4', rename_device: { ieee: IEEE, name: '   ' } }, error: /rename_device name must not be empty/ },
    { wire: { id: 'g-5', rename_device: { ieee: IEEE, name: 'x'.repeat(129) } }, error: /rename_device name is longer than 128 characters/ },
    { wire: { id: 'g-6', rename_device: { ieee: IEEE, name: 'bad\u0007bell' } }, error: /rename_device name contains control characters/ },
    { wire: { id: 'g-7', set_room: { room: 'Kitchen' } }, error: /set_room needs ieee/ },
    { wire: { id: 'g-8', set_room: { ieee: IEEE, room: '' } }, error: /set_room room must not be empty \(leave room out to take the device out of its room\)/ },
    { wire: { id: 'g-9', set_room: { ieee: IEEE, room: 'r'.repeat(200) } }, error: /set_room room is longer than 128/ },
    { wire: { id: 'g-10', reinterview_device: {} }, error: /^invalid: reinterview_device needs ieee as 0x \+ 16 hex digits$/ },
    { wire: { id: 'g-11', reinterview_device: { ieee: '0x123' } }, error: /reinterview_device needs ieee/ },
    { wire: { id: 'g-12', reconfigure_device: { ieee: '' } }, error: /^invalid: reconfigure_device needs ieee as 0x \+ 16 hex digits$/ },
    { wire: { rename_device: { ieee: IEEE, name: 'Lamp' } }, error: /^invalid: missing command id$/ },
  ];
  for (const { wire, error } of cases) {
    // Through the real wire too: what a platform can actually send.
    for (const [how, decoded] of [['direct', decodeCommand(wire)], ['over protobuf', decodeCommand(overWire(wire))]] as const) {
      t.equal(decoded.ok, false, `${wire.id ?? '(no id)'} refused (${how})`);
      if (!decoded.ok) {
        t.match(decoded.error, error, `${wire.id ?? '(no id)'} says why (${how})`);
        t.equal(decoded.id, wire.id ?? '', 'the result names the command');
      }
    }
  }
});
