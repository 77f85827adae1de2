// One simulated Zigbee device behind the virtual coordinator: holds attribute state, answers
// ZCL from the coordinator and sends reports the way the real device would. It knows nothing
// about Z-Stack or zigbee-herdsman; frames go out through the DeviceIo it is given.

import { AttributeStore } from './attribute-store.js';
import { commandHandlerFor, type EndpointState } from './commands/index.js';
import type { SceneTable } from './commands/scenes.js';
import type { DeviceDefinition, EndpointDefinition, ZclFrame, ZclValue } from './definition.js';
import { handleFoundation } from './foundation-handler.js';
import { applyPowerOnBehaviour } from './power-on.js';
import { attributeReport, clientCommand, clusterResponse, defaultResponse, foundationResponse, serverCommand } from './outgoing-frames.js';
import { ReportingEngine } from './reporting.js';
import { systemTimers, TimerGroup, type DeviceTimers } from './timers.js';
import { buildXiaomiStruct, checkStructValue, LUMI_MANUFACTURER_CODE, XIAOMI_FF01_QUIRK, XIAOMI_STRUCT_ATTRIBUTE, XIAOMI_STRUCT_TYPE } from './xiaomi-ff01.js';
import { ByteReader } from './zcl/byte-reader.js';
import { ZclDecodeError } from './zcl/errors.js';
import { decodeFoundation, foundationName, type AttributeRecord } from './zcl/foundation.js';
import { decodeFrame, type ZclMessage } from './zcl/frame.js';
import { Status } from './zcl/status.js';

export interface DeviceIo {
  /** A frame from the device to the coordinator. */
  send(frame: ZclFrame): void;
}

export interface SimulatedDeviceOptions {
  /** Clock for reporting and timed commands; real timers by default. */
  timers?: DeviceTimers;
  /** Called with errors that are bugs rather than bad input; the default logs to stderr. */
  onError?: (error: unknown) => void;
}

/** How set() announces its changes. */
/** 'silent': the value changes without any report (a lost report; only a read finds it). */
export type ReportMode = 'immediate' | 'configured' | 'silent';

const BASIC = 0x0000;
const COORDINATOR_ENDPOINT = 1;
const ALL_ENDPOINTS = 0xff;
/** Quirk: a relay's onOff report carries Lumi's attribute 0xF000 too (Aqara wall switches). */
export const LUMI_RELAY_QUIRK = 'lumi-relay-report';
const LUMI_RELAY_ATTRIBUTE = 0xf000;
const ON_OFF_CLUSTER = 0x0006;
const TUYA_CLUSTER = 0xef00;

/** Foundation commands that are answers or reports: a server has nothing to do with them. */
const PASSIVE = new Set(['readRsp', 'writeRsp', 'configReportRsp', 'readReportConfigRsp', 'report', 'defaultRsp', 'discoverRsp']);

export class SimulatedDevice {
  readonly definition: DeviceDefinition;
  private readonly store: AttributeStore;
  private readonly timers: TimerGroup;
  private readonly reporting: ReportingEngine;
  private readonly groups = new Map<number, Set<number>>();
  private readonly memories = new Map<number, Map<string, unknown>>();
  private readonly scenes = new Map<number, SceneTable>();
  private readonly structOverrides = new Map<number, ZclValue>();
  private readonly onError: (error: unknown) => void;
  private tsn = 0;
  private running = false;
  private powered = true;

  constructor(definition: DeviceDefinition, private readonly io: DeviceIo, options: SimulatedDeviceOptions = {}) {
    this.definition = definition;
    this.store = new AttributeStore(definition);
    this.timers = new TimerGroup(options.timers ?? systemTimers());
    this.onError = options.onError ?? ((error) => console.error(`simulated device ${definition.id}:`, error));
    this.reporting = new ReportingEngine({
      timers: this.timers,
      read: (ep, cluster, attr) => this.store.get(ep, cluster, attr),
      send: (ep, cluster, attrs) => this.report(ep, cluster, attrs),
    });
    for (const endpoint of definition.endpoints) {
      this.groups.set(endpoint.id, new Set());
      this.scenes.set(endpoint.id, new Map());
    }
  }

  /** ZCL from the coordinator. Never throws: malformed input is answered or dropped like a real device. */
  receive(frame: ZclFrame): void {
    if (!this.powered) return; // a device without power hears nothing
    try {
      let message: ZclMessage;
      try {
        message = decodeFrame(frame.data);
      } catch (error) {
        if (error instanceof ZclDecodeError) return; // no complete header: nothing to answer to
        throw error;
      }
      // Answers to the device's own frames (e.g. a default response): nothing to do.
      if (message.header.direction === 'serverToClient') return;
      const unicast = frame.groupId === undefined && frame.dstEndpoint !== ALL_ENDPOINTS;
      for (const endpoint of this.targets(frame)) this.handle(endpoint, frame, message, unicast);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Sends current values as an attribute report (all of the cluster's attributes by default). */
  report(endpoint: number, cluster: number, attributes?: number[]): void {
    this.requireEndpoint(endpoint);
    // With the Xiaomi quirk, genBasic "reports" means the 0xFF01 struct, like the real devices.
    const struct = this.hasStructQuirk() && cluster === BASIC && (attributes === undefined || attributes.includes(XIAOMI_STRUCT_ATTRIBUTE));
    let plain = attributes === undefined
      ? (struct ? [] : this.store.ids(endpoint, cluster))
      : attributes.filter((id) => !(struct && id === XIAOMI_STRUCT_ATTRIBUTE));
    // Aqara wall switches send their relay's onOff together with attribute 0xF000, which
    // tells the converters it is the relay, not a button press.
    if (this.hasQuirk(LUMI_RELAY_QUIRK) && cluster === ON_OFF_CLUSTER && plain.includes(0) && !plain.includes(LUMI_RELAY_ATTRIBUTE) && this.store.get(endpoint, cluster, LUMI_RELAY_ATTRIBUTE)) {
      plain = [...plain, LUMI_RELAY_ATTRIBUTE];
    }
    if (plain.length > 0) {
      const records: AttributeRecord[] = plain.map((attrId) => {
        const stored = this.store.get(endpoint, cluster, attrId);
        if (!stored) throw new Error(`${this.definition.id}: endpoint ${endpoint} cluster 0x${cluster.toString(16)} has no attribute 0x${attrId.toString(16)}`);
        return { attrId, dataType: stored.type, value: stored.value };
      });
      this.sendOwn(endpoint, cluster, attributeReport(this.nextTsn(), records));
      this.reporting.reported(endpoint, cluster, plain);
    }
    if (struct) this.sendXiaomiStruct(endpoint);
  }

  /**
   * New values (attribute id -> value) measured by the device itself. 'immediate' (default):
   * the device reports all of them now, changed or not, as a sensor reports a fresh reading;
   * 'configured': only changes are reported, as the coordinator's reporting configuration says.
   */
  set(endpoint: number, cluster: number, values: Record<number, ZclValue>, mode: ReportMode = 'immediate'): void {
    this.requireEndpoint(endpoint);
    const changed: number[] = [];
    const ids = Object.keys(values).map(Number);
    for (const attrId of ids) {
      if (this.store.set(endpoint, cluster, attrId, values[attrId]!)) changed.push(attrId);
    }
    if (mode === 'silent') return;
    this.announce(endpoint, cluster, mode === 'immediate' ? ids : changed, mode);
  }

  /**
   * New values the device does not report: what a bulb comes back with after a power cut (its
   * power-on state), which the host only learns by asking.
   */
  setUnreported(endpoint: number, cluster: number, values: Record<number, ZclValue>): void {
    this.requireEndpoint(endpoint);
    for (const [attrId, value] of Object.entries(values)) this.store.set(endpoint, cluster, Number(attrId), value);
  }

  /** Current value of an attribute (undefined when the device does not have it). */
  get(endpoint: number, cluster: number, attrId: number): ZclValue | undefined {
    return this.store.get(endpoint, cluster, attrId)?.value;
  }

  /** Group ids the endpoint is a member of. */
  groupsOf(endpoint: number): number[] {
    return [...(this.groups.get(endpoint) ?? [])].sort((a, b) => a - b);
  }

  /** Overrides a constant field of the Xiaomi struct, e.g. tag 0x01 battery millivolts. */
  setStructField(tag: number, value: ZclValue): void {
    const field = this.definition.xiaomiStruct?.find((f) => f.tag === tag);
    if (!field) throw new Error(`${this.definition.id}: no Xiaomi struct field with tag 0x${tag.toString(16)}`);
    // Refused here, where the caller hears it, rather than at the next heartbeat.
    try {
      checkStructValue(field, value);
    } catch (error) {
      throw new Error(`${this.definition.id}: ${(error as Error).message}`, { cause: error });
    }
    this.structOverrides.set(tag, value);
  }

  /** Performs a named button action from the definition (a report or a client command). */
  press(action: string): void {
    const spec = this.definition.actions?.[action];
    if (!spec) {
      const known = Object.keys(this.definition.actions ?? {});
      throw new Error(`${this.definition.id} has no action ${JSON.stringify(action)} (actions: ${known.join(', ') || 'none'})`);
    }
    this.requireEndpoint(spec.endpoint);
    if (spec.attributes) {
      const records: AttributeRecord[] = Object.entries(spec.attributes).map(([id, attr]) => {
        this.store.set(spec.endpoint, spec.cluster, Number(id), attr.value, attr.type);
        return { attrId: Number(id), dataType: attr.type, value: attr.value };
      });
      this.sendOwn(spec.endpoint, spec.cluster, attributeReport(this.nextTsn(), records));
    }
    if (spec.command) {
      const build = spec.command.fromServer ? serverCommand : clientCommand;
      this.sendOwn(spec.endpoint, spec.cluster, build(this.nextTsn(), spec.command.id, Buffer.from(spec.command.payload)));
    }
  }

  /** Starts spontaneous reports (definition.reports) and configured periodic reporting. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.reporting.start();
    for (const spontaneous of this.definition.reports ?? []) {
      this.timers.every(spontaneous.intervalMs, () => this.report(spontaneous.endpoint, spontaneous.cluster, spontaneous.attributes));
    }
  }

  /** Power cut: the device stops (no timers, no reports) and hears nothing until powerOn(). */
  powerOff(): void {
    this.powered = false;
    this.stop();
  }

  /**
   * Power back: each endpoint takes its power-on state (start-up attributes, power-on.ts)
   * without reporting it, and the device runs again. Announcing itself is the network's part.
   */
  powerOn(): void {
    for (const endpoint of this.definition.endpoints) {
      applyPowerOnBehaviour(endpoint.id, { get: (ep, cluster, attr) => this.get(ep, cluster, attr), set: (ep, cluster, values) => this.setUnreported(ep, cluster, values) });
    }
    this.powered = true;
    this.start();
  }

  /** Stops every timer of the device; state and reporting configuration are kept. */
  stop(): void {
    this.running = false;
    this.reporting.stop();
    this.timers.cancelAll();
  }

  private handle(endpoint: EndpointDefinition, frame: ZclFrame, message: ZclMessage, unicast: boolean): void {
    const { header } = message;
    const reply = (data: Buffer): void => {
      if (unicast) this.io.send({ srcEndpoint: endpoint.id, dstEndpoint: frame.srcEndpoint, clusterId: frame.clusterId, data });
    };
    const finish = (status: number): void => {
      // Errors always get a default response; success only when the sender did not disable it.
      if (status !== Status.SUCCESS || !header.disableDefaultResponse) reply(defaultResponse(header, status));
    };
    if (!endpoint.inClusters.includes(frame.clusterId)) return finish(Status.UNSUPPORTED_CLUSTER);
    if (header.frameType === 'global') this.handleFoundation(endpoint.id, frame.clusterId, message, reply, finish);
    else this.handleClusterCommand(endpoint.id, frame.clusterId, message, reply, finish);
  }

  private handleFoundation(
    endpoint: number, cluster: number, { header, payload }: ZclMessage, reply: (data: Buffer) => void, finish: (status: number) => void,
  ): void {
    const name = foundationName(header.commandId);
    if (!name) return finish(header.manufacturerCode === undefined ? Status.UNSUP_GENERAL_COMMAND : Status.UNSUP_MANUF_GENERAL_COMMAND);
    if (PASSIVE.has(name)) return;
    let body;
    try {
      body = decodeFoundation(header.commandId, payload);
    } catch (error) {
      if (error instanceof ZclDecodeError) return finish(Status.MALFORMED_COMMAND);
      throw error;
    }
    const written: number[] = [];
    const outcome = handleFoundation(body, { endpoint, cluster, store: this.store, reporting: this.reporting, written: (ids) => written.push(...ids) });
    if (outcome.kind === 'response') reply(foundationResponse(header, outcome.body));
    else finish(outcome.status);
    this.announce(endpoint, cluster, written, 'configured');
  }

  private handleClusterCommand(
    endpoint: number, cluster: number, { header, payload }: ZclMessage, reply: (data: Buffer) => void, finish: (status: number) => void,
  ): void {
    const handler = commandHandlerFor(cluster, header.manufacturerCode, this.definition.quirks ?? []);
    if (!handler) return finish(header.manufacturerCode !== undefined ? Status.UNSUP_MANUF_CLUSTER_COMMAND : Status.UNSUP_CLUSTER_COMMAND);
    const state = this.endpointState(endpoint);
    let outcome;
    try {
      outcome = handler(header.commandId, new ByteReader(payload), state);
    } catch (error) {
      if (error instanceof ZclDecodeError) return finish(Status.MALFORMED_COMMAND); // pending changes dropped
      throw error;
    }
    if (outcome.response) reply(clusterResponse(header, outcome.response.commandId, outcome.response.payload));
    else finish(outcome.status);
    state.commit();
  }

  /**
   * State handed to a command handler. Changes are held until commit(), so a command that
   * turns out malformed half-way changes nothing; committed changes are reported at once, as
   * Aqara and IKEA devices do after a command.
   */
  private endpointState(endpoint: number): EndpointState & { commit(): void } {
    const pending = new Map<string, { cluster: number; attrId: number; value: ZclValue }>();
    const notifications: Array<{ cluster: number; commandId: number; payload: Buffer }> = [];
    const state = {
      endpoint,
      groups: this.groups.get(endpoint)!,
      memory: this.memoryOf(endpoint),
      scenes: this.scenes.get(endpoint)!,
      get: (cluster: number, attrId: number) => pending.get(`${cluster}/${attrId}`)?.value ?? this.get(endpoint, cluster, attrId),
      typeOf: (cluster: number, attrId: number) => this.store.get(endpoint, cluster, attrId)?.type,
      attributeIds: (cluster: number) => this.store.ids(endpoint, cluster),
      set: (cluster: number, attrId: number, value: ZclValue) => void pending.set(`${cluster}/${attrId}`, { cluster, attrId, value }),
      later: (ms: number, change: (s: EndpointState) => void) => {
        this.timers.after(ms, () => {
          const next = this.endpointState(endpoint);
          change(next);
          next.commit();
        });
      },
      notify: (cluster: number, commandId: number, payload: Buffer) => void notifications.push({ cluster, commandId, payload }),
      commit: () => {
        const byCluster = new Map<number, number[]>();
        for (const { cluster, attrId, value } of pending.values()) {
          if (!this.store.set(endpoint, cluster, attrId, value)) continue;
          // A Tuya MCU's datapoints are kept as attributes of 0xEF00 but never reported as
          // ZCL attributes: the MCU sends its own datapoint frames (notify).
          if (cluster === TUYA_CLUSTER) continue;
          byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), attrId]);
        }
        pending.clear();
        for (const [cluster, attrIds] of byCluster) this.announce(endpoint, cluster, attrIds, 'immediate');
        for (const { cluster, commandId, payload } of notifications.splice(0)) {
          this.sendOwn(endpoint, cluster, serverCommand(this.nextTsn(), commandId, payload));
        }
      },
    };
    return state;
  }

  private announce(endpoint: number, cluster: number, attrIds: number[], mode: ReportMode): void {
    if (attrIds.length === 0) return;
    if (mode === 'immediate') this.report(endpoint, cluster, attrIds);
    else for (const attrId of attrIds) this.reporting.changed(endpoint, cluster, attrId);
  }

  private sendXiaomiStruct(endpoint: number): void {
    const content = buildXiaomiStruct(this.definition.xiaomiStruct ?? [], (ep, cluster, attr) => this.get(ep, cluster, attr), this.structOverrides);
    const records = [{ attrId: XIAOMI_STRUCT_ATTRIBUTE, dataType: XIAOMI_STRUCT_TYPE, value: content }];
    this.sendOwn(endpoint, BASIC, attributeReport(this.nextTsn(), records, LUMI_MANUFACTURER_CODE));
  }

  private sendOwn(endpoint: number, cluster: number, data: Buffer): void {
    this.io.send({ srcEndpoint: endpoint, dstEndpoint: COORDINATOR_ENDPOINT, clusterId: cluster, data });
  }

  private targets(frame: ZclFrame): EndpointDefinition[] {
    const endpoints = this.definition.endpoints;
    if (frame.groupId !== undefined) return endpoints.filter((ep) => this.groups.get(ep.id)?.has(frame.groupId!));
    if (frame.dstEndpoint === ALL_ENDPOINTS) return endpoints.filter((ep) => ep.inClusters.includes(frame.clusterId));
    return endpoints.filter((ep) => ep.id === frame.dstEndpoint); // unknown endpoint: dropped, as APS does
  }

  private memoryOf(endpoint: number): Map<string, unknown> {
    let memory = this.memories.get(endpoint);
    if (!memory) {
      memory = new Map();
      this.memories.set(endpoint, memory);
    }
    return memory;
  }

  private requireEndpoint(endpoint: number): void {
    if (!this.definition.endpoints.some((ep) => ep.id === endpoint)) {
      throw new Error(`${this.definition.id} has no endpoint ${endpoint}`);
    }
  }

  private hasStructQuirk(): boolean {
    return this.hasQuirk(XIAOMI_FF01_QUIRK);
  }

  private hasQuirk(name: string): boolean {
    return this.definition.quirks?.includes(name) ?? false;
  }

  private nextTsn(): number {
    this.tsn = (this.tsn + 1) & 0xff;
    return this.tsn;
  }
}
