// The parts of one Zigbee network, made from its options and wired to each other: what the
// ZigbeeNetwork façade delegates to. Every event leaves through one emit, which feeds the
// interview retries and the state refresh before the listeners (see routeEvent).
import type { DeviceState, Ieee } from '../domain/events.js';
import { TypedEmitter } from '../domain/typed-emitter.js';
import { BindingControl } from './binding-control.js';
import { ControllerGuards } from './controller-guards.js';
import { DefinitionCache } from './definition-cache.js';
import { DeviceConfigurer } from './device-configurer.js';
import { DeviceFaults } from './device-faults.js';
import { DeviceInterviewer } from './device-interviewer.js';
import { DeviceLookup } from './device-lookup.js';
import { DeviceRemoval } from './device-removal.js';
import { describeError } from './errors.js';
import { GroupControl } from './group-control.js';
import { NetworkLifecycle } from './network-lifecycle.js';
import {
  CONFIGURE_RETRY_DELAYS_MS,
  DEFAULT_INTERVIEW_RETRIES,
  DEFAULT_INTERVIEW_RETRY_DELAYS_MS,
  DEFAULT_MAX_CONFIGURE_ATTEMPTS,
  DEFAULT_MAX_PERMIT_JOIN_SECONDS,
} from './network-options.js';
import { NetworkState } from './network-state.js';
import { PermitJoin } from './permit-join.js';
import { SceneControl } from './scene-control.js';
import { StateCommands } from './state-commands.js';
import { StateRefresh } from './state-refresh.js';
import type { Clock, ZigbeeLogger, ZigbeeNetworkEvents, ZigbeeNetworkOptions } from './types.js';

export interface NetworkParts {
  log: ZigbeeLogger;
  events: TypedEmitter<ZigbeeNetworkEvents>;
  definitions: DefinitionCache;
  lookup: DeviceLookup;
  state: NetworkState;
  faults: DeviceFaults;
  guards: ControllerGuards;
  configurer: DeviceConfigurer;
  interviewer: DeviceInterviewer;
  lifecycle: NetworkLifecycle;
  stateCommands: StateCommands;
  permits: PermitJoin;
  removal: DeviceRemoval;
  groups: GroupControl;
  scenes: SceneControl;
  bindings: BindingControl;
}

/** Expects options already validated (validateOptions). */
export function assembleNetwork(options: ZigbeeNetworkOptions): NetworkParts {
  const log = options.log.child('zigbee');
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const events = new TypedEmitter<ZigbeeNetworkEvents>((kind, error) =>
    log.error('event listener failed', { event: String(kind), error: describeError(error) }),
  );
  // The parts below are made after the first ones that emit; no event is emitted while wiring.
  let interviewer: DeviceInterviewer | undefined;
  let refresher: StateRefresh | undefined;
  const emit = <K extends keyof ZigbeeNetworkEvents>(kind: K, payload: ZigbeeNetworkEvents[K]): void => {
    routeEvent(kind, payload, interviewer!, refresher!, log);
    events.emit(kind, payload);
  };

  const definitions = new DefinitionCache();
  const lookup = new DeviceLookup(definitions);
  const state = new NetworkState({
    log,
    deviceOptions: options.deviceOptions,
    ...(options.stateOf ? { source: { get: options.stateOf } } : {}),
    rangesOf: (ieee) => definitions.rangesOf(ieee),
    emit,
  });
  const faults = new DeviceFaults({ log, emit });
  const guards = new ControllerGuards({
    dir: options.dataDir,
    keepCopies: options.herdsmanFileCopies ?? 3,
    adapter: options.serial.adapter,
    log,
    timers,
    now: () => clock.now(),
    emit: (kind, payload) => events.emit(kind, payload),
  });
  const configurer = new DeviceConfigurer({
    coordinatorEndpoint: () => lookup.coordinatorEndpoint(),
    maxAttempts: options.maxConfigureAttempts ?? DEFAULT_MAX_CONFIGURE_ATTEMPTS,
    retryDelaysMs: CONFIGURE_RETRY_DELAYS_MS,
    timers,
    log,
    onReport: (report) => emit('device_configured', report),
    faults,
  });
  const publish = (ieee: Ieee, payload: DeviceState) => state.publish(ieee, payload);
  const groups = new GroupControl({ controller: () => lookup.started(), device: (ieee) => lookup.device(ieee), definitions, publish });
  const endpointOf = (ieee: Ieee, name: string | undefined) => groups.endpointOf(ieee, name);
  const scenes = new SceneControl({ controller: () => lookup.started(), endpointOf, publish });
  const bindings = new BindingControl({ controller: () => lookup.started(), endpointOf });
  refresher = new StateRefresh({
    state: (ieee) => state.of(ieee),
    options: (ieee) => state.optionsOf(ieee),
    publish,
    now: () => clock.now(),
    log,
  });
  const stateCommands = new StateCommands({ lookup, state, definitions, faults, refresher });
  const permits = new PermitJoin({ lookup, maxSeconds: options.maxPermitJoinSeconds ?? DEFAULT_MAX_PERMIT_JOIN_SECONDS, log });
  let lifecycle: NetworkLifecycle | undefined;
  const translator = () => lifecycle!.translator();
  const removal = new DeviceRemoval({ lookup, translator, log, emit });
  interviewer = new DeviceInterviewer({
    lookup: (ieee) => lookup.find(ieee),
    translator,
    definitions,
    maxRetries: options.interviewRetry?.maxRetries ?? DEFAULT_INTERVIEW_RETRIES,
    retryDelaysMs: options.interviewRetry?.delaysMs ?? DEFAULT_INTERVIEW_RETRY_DELAYS_MS,
    clock,
    timers,
    log,
  });
  lifecycle = new NetworkLifecycle({
    options,
    lookup,
    guards,
    definitions,
    configurer,
    interviewer,
    state,
    faults,
    clock,
    log,
    emit,
    // A device announcing itself again (a bulb after a power cut) may have another state now.
    announced: (device) => void stateCommands.refresh(device, true),
  });
  return { log, events, definitions, lookup, state, faults, guards, configurer, interviewer, lifecycle, stateCommands, permits, removal, groups, scenes, bindings };
}

/**
 * The interview retries hear every event first, directly rather than as a listener of the
 * network's emitter: every interview's end (herdsman's at join, ours) and every sign of life
 * drive them. A device that left is forgotten by them and by the state refresh.
 */
function routeEvent<K extends keyof ZigbeeNetworkEvents>(
  kind: K,
  payload: ZigbeeNetworkEvents[K],
  interviewer: DeviceInterviewer,
  refresher: StateRefresh,
  log: ZigbeeLogger,
): void {
  try {
    if (kind === 'device_interview') interviewer.onInterviewEvent(payload as ZigbeeNetworkEvents['device_interview']);
    else if (kind === 'seen') interviewer.onSeen((payload as ZigbeeNetworkEvents['seen']).ieee);
    else if (kind === 'device_left') {
      interviewer.forget((payload as ZigbeeNetworkEvents['device_left']).ieee);
      refresher.forget((payload as ZigbeeNetworkEvents['device_left']).ieee);
    }
  } catch (error) {
    log.error('interview retry bookkeeping failed', { event: kind, error: describeError(error) });
  }
}
