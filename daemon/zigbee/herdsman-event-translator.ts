// Listens to herdsman's controller events and translates each into our typed events:
// joins, interviews (with the converters' definition), leaves, last-seen, permit join,
// adapter loss, and messages converted to state by the definition's fromZigbee. Everything a
// device's data sets off runs contained per device (device-faults.ts): a failure is that
// device's alone, and a quarantined device's messages are dropped unread.
import type { Controller, Events } from 'zigbee-herdsman';
import type { Ieee } from '../domain/events.js';
import { repairHerdsmanTextFields } from './attribute-text.js';
import type { DefinitionCache } from './definition-cache.js';
import { notifyConverters, type LifecycleEvent } from './definition-events.js';
import { describeDevice } from './device-description.js';
import type { DeviceConfigurer } from './device-configurer.js';
import type { DeviceFaults } from './device-faults.js';
import { describeError } from './errors.js';
import { containFrameHandling } from './herdsman-quirks.js';
import type { HerdsmanDevice, HerdsmanMessage } from './herdsman-types.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import { convertMessage, isSilentCluster } from './message-converter.js';
import type { NetworkState } from './network-state.js';
import type { Clock, ZigbeeLogger, ZigbeeNetworkEvents } from './types.js';

export interface HerdsmanEventTranslatorOptions {
  controller: Controller;
  definitions: DefinitionCache;
  configurer: DeviceConfigurer;
  state: NetworkState;
  faults: DeviceFaults;
  clock: Clock;
  log: ZigbeeLogger;
  emit: <K extends keyof ZigbeeNetworkEvents>(kind: K, payload: ZigbeeNetworkEvents[K]) => void;
  /** The device announced itself (rejoined, or powered up again). */
  announced?: (device: HerdsmanDevice) => void;
}

type InterviewPhase = Events.DeviceInterviewPayload['status'];

export class HerdsmanEventTranslator {
  private readonly queue = new KeyedSerialQueue();
  private readonly detachers: Array<() => void> = [];
  /** Devices with a leave request of ours under way. */
  private readonly removing = new Set<Ieee>();
  /** Devices whose converters had their 'start' event in this session. */
  private readonly started = new Set<Ieee>();

  constructor(private readonly o: HerdsmanEventTranslatorOptions) {}

  attach(): void {
    const c = this.o.controller;
    const on = <K extends Parameters<Controller['on']>[0]>(event: K, handler: (...args: never[]) => void): void => {
      c.on(event, handler as never);
      this.detachers.push(() => c.off(event, handler as never));
    };
    on('message', (m: HerdsmanMessage) => {
      if (m.device.type === 'Coordinator') return;
      // Synchronously: herdsman's own handling of this frame (Device.onZclData) runs right
      // after this listener returns; it must find the device repaired, and is pinned on it.
      const ieee = m.device.ieeeAddr;
      this.o.emit('message_received', { ieee, cluster: String(m.cluster) });
      // (A frame herdsman could not parse arrives as 'raw' and gets no onZclData.)
      if (m.type !== 'raw') this.o.faults.enter(ieee, 'message');
      this.prepare(m.device);
      if (this.o.faults.isQuarantined(ieee)) {
        this.o.faults.countIgnored();
        return;
      }
      void this.queue.run(ieee, () => this.o.faults.contain(ieee, 'message', () => this.onMessage(m)));
    });
    on('deviceJoined', ({ device }: Events.DeviceJoinedPayload) => {
      this.o.log.info('device joined', { ieee: device.ieeeAddr, nwk: device.networkAddress });
      this.o.emit('device_joined', { ieee: device.ieeeAddr, nwk: device.networkAddress });
      void this.guard('deviceJoined', () => this.notify('deviceJoined', device));
    });
    on('deviceInterview', ({ device, status }: Events.DeviceInterviewPayload) => {
      void this.reportInterview(device, status);
    });
    on('deviceAnnounce', ({ device }: Events.DeviceAnnouncePayload) => {
      this.o.log.debug('device announced', { ieee: device.ieeeAddr, nwk: device.networkAddress });
      void this.guard('deviceAnnounce', () => this.notify('deviceAnnounce', device));
      if (!this.o.faults.isQuarantined(device.ieeeAddr)) this.o.announced?.(device);
    });
    on('deviceNetworkAddressChanged', ({ device }: Events.DeviceNetworkAddressChangedPayload) => {
      this.o.log.info('device network address changed', { ieee: device.ieeeAddr, nwk: device.networkAddress });
      void this.guard('deviceNetworkAddressChanged', () => this.notify('deviceNetworkAddressChanged', device));
    });
    on('deviceLeave', ({ ieeeAddr }: Events.DeviceLeavePayload) => {
      this.forgetDevice(ieeeAddr);
      // A device we asked to leave announces it too: remove() reports that one, once.
      if (this.removing.has(ieeeAddr)) return;
      this.o.log.info('device left the network', { ieee: ieeeAddr });
      this.o.emit('device_left', { ieee: ieeeAddr, reason: 'left' });
    });
    on('lastSeenChanged', ({ device }: Events.LastSeenChangedPayload) => {
      if (device.type === 'Coordinator') return;
      // Also emitted for frames that make no 'message' (a default response): herdsman's
      // Device.onZclData still follows, so the device must be repaired here too.
      this.prepare(device);
      const seen: ZigbeeNetworkEvents['seen'] = { ieee: device.ieeeAddr, at: this.o.clock.now() };
      if (device.linkquality !== undefined) seen.linkquality = device.linkquality;
      this.o.emit('seen', seen);
    });
    on('permitJoinChanged', ({ permitted, time }: Events.PermitJoinChangedPayload) => {
      this.o.emit('permit_join_changed', { open: permitted, seconds: permitted ? (time ?? 0) : 0 });
    });
    on('adapterDisconnected', () => {
      this.o.log.error('coordinator disconnected');
      this.o.emit('adapter_disconnected', {});
    });
    this.o.state.resume();
  }

  detach(): void {
    for (const detach of this.detachers.splice(0)) detach();
    this.o.state.stop();
  }

  /** Resolves when every message and interview handed over so far has been processed. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** After start: resolve every known device, let quirks run, configure what is due. */
  async onStarted(): Promise<void> {
    // All at once, before the first await: devices loaded from herdsman's database may hold
    // what herdsman saved before (a number where text belongs).
    for (const device of this.o.controller.getDevicesIterator((d) => d.type !== 'Coordinator')) this.prepare(device);
    for (const device of this.o.controller.getDevicesIterator((d) => d.type !== 'Coordinator')) {
      if (this.o.faults.isQuarantined(device.ieeeAddr)) continue;
      await this.o.faults.contain(device.ieeeAddr, 'start', async () => {
        const definition = await this.o.definitions.resolve(device);
        void this.start(device);
        // Routers listen all the time; sleepy devices are configured when they next speak.
        if (definition && device.type === 'Router') this.o.configurer.onDeviceAwake(device, definition);
      });
    }
  }

  /**
   * One phase of an interview, herdsman's or ours (device-interviewer.ts), handled through the
   * device's queue: messages that follow the interview see its definition, and the phases of
   * one device are never handled out of order. Never rejects (failures are the device's).
   */
  reportInterview(device: HerdsmanDevice, phase: InterviewPhase): Promise<void> {
    this.prepare(device);
    return this.queue.run(device.ieeeAddr, () => this.o.faults.contain(device.ieeeAddr, 'interview', () => this.onInterview(device, phase)));
  }

  private async onInterview(device: HerdsmanDevice, phase: InterviewPhase): Promise<void> {
    const ieee = device.ieeeAddr;
    this.prepare(device);
    if (phase === 'started') {
      this.o.log.info('interview started', { ieee });
      this.o.emit('device_interview', { ieee, status: 'in_progress', device: describeDevice(device) });
      return;
    }
    if (phase === 'failed') {
      this.o.log.warn('interview failed', { ieee, modelId: device.modelID });
      this.o.emit('device_interview', { ieee, status: 'failed', device: describeDevice(device) });
      return;
    }
    // The model id may have changed (or become known): resolve afresh.
    this.o.definitions.forget(ieee);
    const definition = await this.o.definitions.resolve(device);
    const description = describeDevice(device, definition);
    if (description.supported) {
      this.o.log.info('device interviewed', { ieee, model: description.model, vendor: description.vendor });
    } else {
      this.o.log.warn('device interviewed but not supported: generic definition', {
        ieee,
        modelId: device.modelID,
        manufacturerName: device.manufacturerName,
      });
    }
    // A successful (re-)interview is the device's fresh start: out of quarantine.
    this.o.faults.release(ieee);
    this.o.faults.succeeded(ieee);
    this.o.emit('device_interview', { ieee, status: 'successful', device: description });
    // A device new to this session gets the converters' 'start' first, as those loaded at
    // start do: definitions add their custom clusters there (Danfoss' hvacThermostat
    // attributes and setpoint command), which their own configure and converters then use.
    const starting = this.start(device);
    // Not awaited: a quirk handler may talk to a sleepy device and wait long for it, and
    // this runs in the device's queue, which must never wait on the device itself.
    void starting.then(() => notifyConverters({ interview: 'successful' }, device, definition, this.context(ieee)));
    if (definition) void starting.then(() => this.o.configurer.onDeviceAwake(device, definition));
  }

  /** Runs our leave request; the device's own leave indication meanwhile is not a second event. */
  async whileRemoving<T>(ieee: Ieee, task: () => Promise<T>): Promise<T> {
    this.removing.add(ieee);
    try {
      return await task();
    } finally {
      this.removing.delete(ieee);
    }
  }

  forgetDevice(ieee: Ieee): void {
    this.started.delete(ieee);
    this.o.faults.release(ieee);
    this.o.definitions.forget(ieee);
    this.o.configurer.forget(ieee);
    this.o.state.forget(ieee);
  }

  private async onMessage(message: HerdsmanMessage): Promise<void> {
    const { device } = message;
    const ieee = device.ieeeAddr;
    this.o.state.countMessage();
    const definition = await this.o.definitions.resolve(device);
    if (!definition) {
      this.o.log.debug('message while interviewing, not converted', { ieee, cluster: String(message.cluster) });
      return;
    }
    // A sleepy device listens right after it spoke: the moment to retry its configure.
    this.o.configurer.onDeviceAwake(device, definition);
    const outcome = await convertMessage(message, definition, {
      state: this.o.state.of(ieee),
      options: this.o.state.optionsOf(ieee),
      publishLater: (payload) => this.o.state.publish(ieee, payload),
    });
    for (const r of outcome.rejections) this.o.state.reject(ieee, r.reason, r.cluster, definition.model);
    // A refused value is the device's mistake, handled; a converter that throws is a failure.
    const failure = outcome.rejections.find((r) => r.failure);
    if (failure) this.o.faults.failed(ieee, 'message', failure.reason);
    else this.o.faults.succeeded(ieee);
    if (Object.keys(outcome.state).length > 0) {
      this.o.state.publish(ieee, outcome.state, { linkquality: message.linkquality, cluster: String(message.cluster), model: definition.model });
    } else if (outcome.converters === 0 && outcome.rejections.length === 0 && !isSilentCluster(String(message.cluster))) {
      this.o.log.debug('no converter for message', { ieee, model: definition.model, cluster: String(message.cluster), type: message.type });
    }
  }

  /**
   * Makes the device safe for herdsman before herdsman handles it further: wrong-typed Basic
   * text attributes repaired (see attribute-text.ts), and herdsman's per-frame handling of
   * the device contained (see herdsman-quirks.ts).
   */
  private prepare(device: HerdsmanDevice): void {
    const ieee = device.ieeeAddr;
    const repaired = repairHerdsmanTextFields(device);
    if (repaired.length > 0) {
      this.o.log.warn('device sent text attributes of the wrong type; kept as text', { ieee, fields: repaired });
      device.save();
    }
    containFrameHandling(
      device,
      (error) => this.o.faults.failed(ieee, 'message', `herdsman frame handling failed: ${describeError(error)}`),
      () => this.o.faults.leave(ieee),
    );
  }

  /** The converters' 'start' event, once per device and session (never rejects). */
  private start(device: HerdsmanDevice): Promise<void> {
    if (this.started.has(device.ieeeAddr)) return Promise.resolve();
    this.started.add(device.ieeeAddr);
    return this.notify('start', device);
  }

  private async notify(type: LifecycleEvent | 'start', device: HerdsmanDevice): Promise<void> {
    await notifyConverters(type, device, this.o.definitions.get(device.ieeeAddr), this.context(device.ieeeAddr));
  }

  private context(ieee: Ieee) {
    return { state: this.o.state.of(ieee), options: this.o.state.optionsOf(ieee), log: this.o.log };
  }

  /** herdsman does not await our handlers: every failure must be caught and logged here. */
  private async guard(what: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.o.log.error('zigbee event handling failed', { event: what, error: describeError(error) });
    }
  }
}
