// A motor that travels to a target percentage a step at a time, as blinds and curtain motors
// do: each step is a change the device announces (an attribute report, or a datapoint frame),
// and a new command or a stop takes over from the move under way.

import type { EndpointState } from './types.js';

/** 5 percentage points every 200 ms: a full travel in 4 s (real blinds take 20-30 s), slow enough to be stopped half-way. */
export const MOTOR_STEP = 5;
export const MOTOR_STEP_MS = 200;

export interface MotorAxis {
  /** Memory key of this motor (one per endpoint and axis). */
  key: string;
  read(state: EndpointState): number;
  /** Writes the new position; called once per step. */
  write(state: EndpointState, position: number): void;
}

/** Starts travelling to `target` (0..100), replacing any move under way. */
export function travel(state: EndpointState, axis: MotorAxis, target: number): void {
  const move = Number(state.memory.get(axis.key) ?? 0) + 1;
  state.memory.set(axis.key, move);
  const step = (s: EndpointState): void => {
    if (s.memory.get(axis.key) !== move) return; // stopped, or another command took over
    const current = axis.read(s);
    if (current === target) return;
    const next = current < target ? Math.min(target, current + MOTOR_STEP) : Math.max(target, current - MOTOR_STEP);
    axis.write(s, next);
    if (next !== target) s.later(MOTOR_STEP_MS, step);
  };
  state.later(MOTOR_STEP_MS, step);
}

/** Stops where the motor is now. */
export function halt(state: EndpointState, axis: MotorAxis): void {
  state.memory.set(axis.key, Number(state.memory.get(axis.key) ?? 0) + 1);
}
