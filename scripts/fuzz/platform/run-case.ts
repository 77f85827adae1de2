// Runs one platform case: the fuzzing platform sends it on the open stream and checks that
// every command got a result (refusals with a reason), however odd the command or the stream.
import { resultIdFor } from './result-id.js';
import type { CommandResultEvent } from '../../reference-cloud/server.js';
import { runConfigCase } from '../config/run-case.js';
import { isRefusalLine } from '../daemon-log.js';
import { DELIVERY_TIMEOUT_MS, GATEWAY, RECONNECT_TIMEOUT_MS, type FuzzEnvironment } from '../environment.js';
import type { FuzzSide } from '../case-types.js';
import { knownFinePlatformCase, platformCase, type PlatformCase } from './cases.js';
import { commandId, RAW_ZCL_KEYS, wireCommand } from './wire-command.js';

/** GRPC's default message limit, which every platform stack applies unless told otherwise. */
const GRPC_DEFAULT_LIMIT = 4 * 1024 * 1024;

export const platformSide: FuzzSide<PlatformCase> = {
  name: 'platform',
  arbitrary: platformCase,
  kind: (input) => `platform.${input.kind}${input.kind === 'command' ? `.${Object.keys(input.action)[0]}` : ''}`,
  run: runPlatformCase,
};

/** The same checks on inputs a correct hub takes without complaint: proves the harness itself. */
export const knownFinePlatformSide: FuzzSide<PlatformCase> = { ...platformSide, name: 'platform-known-fine', arbitrary: knownFinePlatformCase };

async function runPlatformCase(env: FuzzEnvironment, input: PlatformCase): Promise<() => string[]> {
  const mark = env.log.mark();
  switch (input.kind) {
    case 'config':
      return runConfigCase(input, (reason) => env.countRefusal(reason));
    case 'command': {
      const id = commandId(input.id);
      const command = wireCommand(id, input.expiry, input.action, env.devices);
      if ('permit_join' in input.action) env.forgetPermitJoin();
      const result = await awaitResult(env, id, () => env.platform.sendCommand(command));
      return () => {
        const problems = resultProblems(id, result);
        // A hub may instead end the stream for a command it cannot decode, if it logs that it refused a command.
        const refusalLogged = env.log.since(mark).some((l) => isRefusalLine(l) && /command/i.test(l.msg));
        if (result === undefined && id !== '' && refusalLogged && oversize(input)) return []; // ended with a logged reason: allowed for undecodable commands
        if (result === undefined && id === '' && refusalLogged) return [];
        if (result?.ok && ['past', 'negative', 'far-negative'].includes(input.expiry)) problems.push(`command ${short(id)} with expiry ${input.expiry} (${command.expires_at_ms}) ran instead of being refused`);
        const state = 'set_state' in input.action && 'json' in input.action.set_state.state ? input.action.set_state.state.json : {};
        if (result?.ok && RAW_ZCL_KEYS.some((k) => k in state)) problems.push(`set_state with a raw ZCL key (${Object.keys(state).join(', ')}) came back ok`);
        return problems;
      };
    }
    case 'ack': {
      const received = env.platform.receivedUpTo;
      const upTo = { zero: 0, below: Math.max(0, received - input.by), above: received + input.by, max: Number.MAX_SAFE_INTEGER }[input.upTo];
      env.platform.sendRaw({ ack: { up_to_seq: upTo } });
      return () => [];
    }
    case 'welcome': {
      const stored = env.platform.store.lastSeq(GATEWAY, env.platform.epoch);
      const value = { zero: 0, below: Math.max(0, stored - input.by), same: stored, above: stored + input.by }[input.lastSeqSeen];
      if (input.mode === 'extra') env.platform.sendRaw({ welcome: { last_seq_seen: value } });
      else {
        env.platform.overrideNextWelcome(value);
        env.platform.dropStream();
        await env.whileDaemonAlive(env.platform.waitForConnection(RECONNECT_TIMEOUT_MS));
      }
      return () => [];
    }
    case 'burst': {
      // Large refused commands while the platform reads slowly and holds its acks back (back-pressure
      // the .proto allows): their results pile up in the hub and leave in as few batches as it likes.
      const ids = Array.from({ length: input.commands }, () => commandId({ length: 24, fill: 'b' }));
      env.platform.setAcking(false);
      env.platform.pauseReading();
      let results: Array<CommandResultEvent | undefined>;
      try {
        const pending = ids.map((id) =>
          awaitResult(env, id, () => env.platform.sendCommand({ id, set_state: { ieee: env.devices.plug, state: { fields: { state: { stringValue: 'x'.repeat(input.bytes) } } } } })),
        );
        // Resume once the hub has handled them all (it logs each with its commandId), or after a while.
        await env.whileDaemonAlive(env.daemonLogged((lines) => ids.every((id) => lines.some((l) => l.commandId === id)), mark, 30_000)).catch(() => undefined);
        env.platform.resumeReading();
        env.platform.setAcking(true);
        results = await Promise.all(pending);
      } finally {
        env.platform.resumeReading();
        env.platform.setAcking(true);
      }
      return () => ids.flatMap((id, i) => resultProblems(id, results[i]));
    }
  }
}

/** Sends, then waits for the command's result; undefined when none came in time. */
async function awaitResult(env: FuzzEnvironment, id: string, send: () => void): Promise<CommandResultEvent | undefined> {
  const since = Date.now();
  const arrived = env.platform.waitForEvent((e) => e.receivedAt >= since && e.event.kind === 'command_result' && e.event.commandId === resultIdFor(id), DELIVERY_TIMEOUT_MS);
  send();
  try {
    return (await env.whileDaemonAlive(arrived)).event as CommandResultEvent;
  } catch (error) {
    if (!env.daemonAlive) throw error;
    return undefined;
  } finally {
    env.platform.retire(id);
  }
}

function resultProblems(id: string, result: CommandResultEvent | undefined): string[] {
  if (result === undefined) return [`command ${short(id)} got no result (a platform re-sending it would never stop)`];
  if (!result.ok && !(typeof result.error === 'string' && result.error.trim() !== '')) return [`command ${short(id)} was refused without a reason`];
  return [];
}

/** Commands a hub may refuse by ending the stream (over gRPC's default limit, or nested deeper than any decoder allows). */
function oversize(input: Extract<PlatformCase, { kind: 'command' }>): boolean {
  if (!('set_state' in input.action)) return input.id.length * 4 > GRPC_DEFAULT_LIMIT;
  const state = input.action.set_state.state;
  return ('big' in state && state.big > GRPC_DEFAULT_LIMIT - 1024) || ('depth' in state && state.depth > 32) || input.id.length * 4 > GRPC_DEFAULT_LIMIT;
}

function short(id: string): string {
  const chars = Array.from(id);
  return chars.length > 60 ? `${JSON.stringify(chars.slice(0, 40).join(''))}... (${chars.length} chars)` : JSON.stringify(id);
}
