// Starting and stopping herdsman's controller with everything we run around it, in order:
// the libraries' loggers and our fixes to herdsman installed, the serial port resolved, its
// files checked (controller-guards.ts), the controller made and started with the event
// translator attached before its first event; then, once it runs, the coordinator logged, the
// converters' start events, and interviews left unfinished resumed. Stopping undoes it: no
// more retries or configures, the translator drained, the converters told, herdsman stopped.
import { Controller, setLogger as setHerdsmanLogger } from 'zigbee-herdsman';
import * as zhc from 'zigbee-herdsman-converters';
import { resolveSerial } from './adapter-discovery.js';
import type { ControllerGuards } from './controller-guards.js';
import type { DefinitionCache } from './definition-cache.js';
import { notifyConvertersStop } from './definition-events.js';
import type { DeviceConfigurer } from './device-configurer.js';
import type { DeviceFaults } from './device-faults.js';
import type { DeviceInterviewer } from './device-interviewer.js';
import type { DeviceLookup } from './device-lookup.js';
import { describeError, ZigbeeError } from './errors.js';
import { HerdsmanEventTranslator } from './herdsman-event-translator.js';
import { releaseTimersAfterStop } from './herdsman-quirks.js';
import type { HerdsmanDevice } from './herdsman-types.js';
import { createLibraryLogger, secretRedactor } from './library-logger.js';
import { controllerOptions } from './network-options.js';
import type { NetworkState } from './network-state.js';
import { installTcpBootloaderFix } from './tcp-bootloader-fix.js';
import type { Clock, StartResult, ZigbeeLogger, ZigbeeNetworkEvents, ZigbeeNetworkOptions } from './types.js';
import { installUnpiParserFix } from './unpi-parser-fix.js';

export interface NetworkLifecycleOptions {
  options: ZigbeeNetworkOptions;
  /** Holds the controller while it runs. */
  lookup: DeviceLookup;
  guards: ControllerGuards;
  definitions: DefinitionCache;
  configurer: DeviceConfigurer;
  interviewer: DeviceInterviewer;
  state: NetworkState;
  faults: DeviceFaults;
  clock: Clock;
  log: ZigbeeLogger;
  emit: <K extends keyof ZigbeeNetworkEvents>(kind: K, payload: ZigbeeNetworkEvents[K]) => void;
  /** A device announced itself again. */
  announced: (device: HerdsmanDevice) => void;
}

export class NetworkLifecycle {
  /** Set from the controller's creation until it stops (or fails to start). */
  private running: HerdsmanEventTranslator | undefined;

  constructor(private readonly o: NetworkLifecycleOptions) {}

  translator(): HerdsmanEventTranslator | undefined {
    return this.running;
  }

  async start(): Promise<StartResult> {
    const { options, log, guards } = this.o;
    if (this.o.lookup.current()) throw new ZigbeeError('invalid_options', 'the network is already started');
    const herdsmanLog = log.child('herdsman');
    const libraryLogger = createLibraryLogger(herdsmanLog, {
      forwardDebug: () => herdsmanLog.isLevelEnabled?.('debug') ?? false,
      redact: secretRedactor(options.network.networkKey),
    });
    // Both libraries keep their logger module-wide; there is one network per process.
    setHerdsmanLogger(libraryLogger);
    zhc.setLogger(libraryLogger);
    if (!installUnpiParserFix()) log.debug('herdsman UNPI parser changed; running it without our fix (see unpi-parser-fix.ts)');
    if (!installTcpBootloaderFix()) log.debug('herdsman Z-Stack TCP open changed; running it without our fix (see tcp-bootloader-fix.ts)');

    const serial = await resolveSerial(options.serial, log);
    guards.beforeStart();
    const acceptJoin = options.acceptJoin;
    const controller = new Controller(
      controllerOptions({ ...options, serial }, async (ieee) => (acceptJoin ? await acceptJoin(ieee) : true)),
    );
    guards.created(controller);
    const translator = new HerdsmanEventTranslator({
      controller,
      definitions: this.o.definitions,
      configurer: this.o.configurer,
      state: this.o.state,
      faults: this.o.faults,
      clock: this.o.clock,
      log,
      emit: this.o.emit,
      // A device announcing itself again (a bulb after a power cut) may have another state now.
      announced: this.o.announced,
    });
    this.running = translator;
    this.o.configurer.start();
    translator.attach();
    let result: StartResult;
    try {
      result = await controller.start();
    } catch (error) {
      translator.detach();
      this.running = undefined;
      await controller.stop().catch(() => {});
      log.error('coordinator start failed', { path: options.serial.path, error: describeError(error) });
      throw new ZigbeeError('device_error', `coordinator start failed: ${describeError(error)}`, { cause: error });
    }
    this.o.lookup.set(controller);
    // What the stick is and runs, once per start: the first thing to know about a field report.
    const coordinator = await this.o.lookup.coordinatorInfo().catch(() => undefined);
    log.info('zigbee network started', {
      result,
      channel: options.network.channel,
      ...(coordinator ? { coordinator: coordinator.type, firmware: coordinator.firmware, coordinator_ieee: coordinator.ieee } : {}),
    });
    guards.started(controller);
    await translator.onStarted();
    this.o.interviewer.resumeUnfinished(controller.getDevicesIterator((d) => d.type !== 'Coordinator'));
    return result;
  }

  async stop(): Promise<void> {
    const controller = this.o.lookup.current();
    if (!controller) return;
    this.o.lookup.set(undefined);
    this.o.guards.stopping();
    this.o.interviewer.stop();
    this.o.configurer.stop();
    this.running?.detach();
    await this.running?.idle();
    this.running = undefined;
    for (const device of controller.getDevicesIterator((d) => d.type !== 'Coordinator')) {
      await notifyConvertersStop(device.ieeeAddr, this.o.definitions.get(device.ieeeAddr), this.o.log);
    }
    this.o.definitions.clear();
    try {
      await controller.stop();
      this.o.guards.stopped();
    } finally {
      releaseTimersAfterStop(controller);
      this.o.log.info('zigbee network stopped');
    }
  }
}
