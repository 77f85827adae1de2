// A Tuya TS0601 curtain / roller-blind motor (e.g. the Moes AM43 blind drive, _TZE200_zah67ekd)
// behind its Tuya MCU: datapoint 1 control (enum 0 open, 1 stop, 2 close), 2 target position
// (value, 100 = open), 3 current position (value); others (direction, speed, opening mode) are
// settings. Like the real MCU it answers every datapoint it takes with a dataResponse echoing
// it, and reports the current position (dataReport) while the motor runs.

import { Status } from '../zcl/status.js';
import { halt, travel, type MotorAxis } from './motor.js';
import {
  decodeDatapointValue,
  encodeDatapointValue,
  readDatapoints,
  TUYA,
  TuyaCommand,
  tuyaTypeOf,
  writeDatapoints,
  type Datapoint,
} from './tuya-datapoints.js';
import type { CommandHandler, EndpointState } from './types.js';

export { TUYA };
export const TUYA_COVER_QUIRK = 'tuya-cover';
const DP_CONTROL = 1;
const DP_TARGET = 2;
const DP_POSITION = 3;
const CONTROL_OPEN = 0;
const CONTROL_STOP = 1;
const CONTROL_CLOSE = 2;
const OPEN = 100;
const CLOSED = 0;

function datapoint(state: EndpointState, dp: number): Datapoint | undefined {
  const type = state.typeOf(TUYA, dp);
  const value = state.get(TUYA, dp);
  if (type === undefined || value === undefined) return undefined;
  return { dp, type: tuyaTypeOf(type), data: encodeDatapointValue(type, value) };
}

/** The MCU's own sequence numbers for the reports it starts. */
function nextSeq(state: EndpointState): number {
  const seq = (Number(state.memory.get('tuya/seq') ?? 0) + 1) & 0xffff;
  state.memory.set('tuya/seq', seq);
  return seq;
}

const position: MotorAxis = {
  key: 'tuya/motor',
  read: (state) => Number(state.get(TUYA, DP_POSITION) ?? 0),
  write: (state, value) => {
    state.set(TUYA, DP_POSITION, value);
    const report = datapoint(state, DP_POSITION);
    if (report) state.notify(TUYA, TuyaCommand.dataReport, writeDatapoints(nextSeq(state), [report]));
  },
};

function take(state: EndpointState, { dp, type, data }: Datapoint): boolean {
  const zclType = state.typeOf(TUYA, dp);
  if (zclType === undefined || tuyaTypeOf(zclType) !== type) return false; // unknown datapoint: the MCU ignores it
  const value = decodeDatapointValue(zclType, data);
  if (value === undefined) return false;
  if (dp === DP_CONTROL) {
    if (value === CONTROL_OPEN) travel(state, position, OPEN);
    else if (value === CONTROL_CLOSE) travel(state, position, CLOSED);
    else if (value === CONTROL_STOP) halt(state, position);
    else return false;
  }
  if (dp === DP_TARGET) {
    const target = Number(value);
    if (target < CLOSED || target > OPEN) return false;
    travel(state, position, target);
  }
  state.set(TUYA, dp, value);
  return true;
}

export const tuyaCoverCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case TuyaCommand.dataRequest:
    case TuyaCommand.sendData: {
      const { seq, datapoints } = readDatapoints(payload);
      const taken = datapoints.filter((d) => take(state, d));
      if (taken.length === 0) return { status: Status.SUCCESS };
      // The echo carries the values as the MCU now holds them.
      const echo = taken.map((d) => datapoint(state, d.dp) ?? d);
      return { status: Status.SUCCESS, response: { commandId: TuyaCommand.dataResponse, payload: writeDatapoints(seq, echo) } };
    }
    case TuyaCommand.dataQuery: { // report every datapoint
      const all = state.attributeIds(TUYA).map((dp) => datapoint(state, dp)).filter((d): d is Datapoint => d !== undefined);
      state.notify(TUYA, TuyaCommand.dataReport, writeDatapoints(nextSeq(state), all));
      return { status: Status.SUCCESS };
    }
    default:
      // Time sync answers, MCU version requests and the like: accepted, nothing to do.
      return { status: Status.SUCCESS };
  }
};
