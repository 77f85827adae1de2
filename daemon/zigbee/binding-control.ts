// Bindings and attribute reporting, as Zigbee2MQTT's bind extension does them: a device's
// output (client) clusters bound to another device's endpoint or to a group, so its commands
// (a remote's toggle) go straight there, hub or no hub; and per-attribute reporting
// configuration. Both live in the devices; herdsman's record of them is what is listed.
import type { Ieee } from '../domain/events.js';
import { describeError, ZigbeeError } from './errors.js';
import type { HerdsmanEndpoint, HerdsmanGroup } from './herdsman-types.js';
import type { Controller } from 'zigbee-herdsman';

/** The clusters a bind covers when none are named (Zigbee2MQTT's candidates). */
export const BINDABLE_CLUSTERS: readonly string[] = [
  'genScenes', 'genOnOff', 'genLevelCtrl', 'lightingColorCtrl', 'closuresWindowCovering', 'hvacThermostat',
  'msIlluminanceMeasurement', 'msTemperatureMeasurement', 'msRelativeHumidity', 'msSoilMoisture', 'msCO2',
];

export type BindTarget = { group: number } | { ieee: Ieee; endpoint?: string };

export interface BindingDescription {
  /** The source endpoint id. */
  endpoint: number;
  cluster: string;
  target: { group: number } | { ieee: Ieee; endpoint: number };
}

export interface ReportingDescription {
  endpoint: number;
  cluster: string;
  attribute: string;
  minimumInterval: number;
  maximumInterval: number;
  reportableChange: number;
}

export interface ReportingRequest {
  cluster: string;
  attribute: string;
  /** Seconds. */
  minimumInterval: number;
  /** Seconds; 0xFFFF turns periodic reports off. */
  maximumInterval: number;
  /** In the attribute's units (raw ZCL); ignored for discrete types. */
  reportableChange: number;
}

export interface BindingControlOptions {
  controller: () => Controller;
  endpointOf: (ieee: Ieee, endpointName: string | undefined) => Promise<HerdsmanEndpoint>;
}

export class BindingControl {
  constructor(private readonly o: BindingControlOptions) {}

  /**
   * Binds (or unbinds) the source endpoint's output clusters to the target: the named ones, or
   * every bindable cluster the source sends and the target takes. Resolves with the clusters
   * done; refuses when there is nothing to do, and names the first cluster the device refused.
   */
  async bind(source: { ieee: Ieee; endpoint?: string }, target: BindTarget, clusters: readonly string[] | undefined, unbind = false): Promise<string[]> {
    const from = await this.o.endpointOf(source.ieee, source.endpoint);
    const to = 'group' in target ? this.group(target.group) : await this.o.endpointOf(target.ieee, target.endpoint);
    const takes = (cluster: string) => 'groupID' in to || (to as HerdsmanEndpoint).supportsInputCluster(cluster);
    if (clusters) {
      for (const cluster of clusters) {
        if (!from.supportsOutputCluster(cluster)) throw new ZigbeeError('invalid_value', `${source.ieee} endpoint ${from.ID} does not send ${cluster} (output clusters: ${outputClusters(from)})`);
        if (!takes(cluster)) throw new ZigbeeError('invalid_value', `${describeTarget(target)} does not take ${cluster}`);
      }
    }
    const chosen = clusters ?? BINDABLE_CLUSTERS.filter((c) => from.supportsOutputCluster(c) && takes(c));
    if (chosen.length === 0) throw new ZigbeeError('invalid_value', `nothing to ${unbind ? 'unbind' : 'bind'}: ${source.ieee} endpoint ${from.ID} sends none of the clusters ${describeTarget(target)} takes`);
    for (const cluster of chosen) {
      try {
        if (unbind) await from.unbind(cluster, to);
        else await from.bind(cluster, to);
      } catch (error) {
        throw new ZigbeeError('device_error', `${source.ieee} did not ${unbind ? 'unbind' : 'bind'} ${cluster} ${unbind ? 'from' : 'to'} ${describeTarget(target)}: ${describeError(error)}`, { cause: error });
      }
    }
    return [...chosen];
  }

  /** Configures reporting of one attribute on the device's endpoint (the device must accept it). */
  async configureReporting(device: { ieee: Ieee; endpoint?: string }, request: ReportingRequest): Promise<void> {
    const endpoint = await this.o.endpointOf(device.ieee, device.endpoint);
    if (!endpoint.supportsInputCluster(request.cluster)) throw new ZigbeeError('invalid_value', `${device.ieee} endpoint ${endpoint.ID} has no ${request.cluster} cluster`);
    try {
      await endpoint.configureReporting(request.cluster, [
        {
          attribute: request.attribute as never,
          minimumReportInterval: request.minimumInterval,
          maximumReportInterval: request.maximumInterval,
          reportableChange: request.reportableChange,
        },
      ]);
    } catch (error) {
      throw new ZigbeeError('device_error', `${device.ieee} refused reporting of ${request.cluster}.${request.attribute}: ${describeError(error)}`, { cause: error });
    }
  }

  /** What herdsman recorded for the device: its bindings and its reporting configuration. */
  describe(ieee: Ieee): { bindings: BindingDescription[]; reporting: ReportingDescription[] } {
    const device = this.o.controller().getDeviceByIeeeAddr(ieee);
    if (!device) throw new ZigbeeError('unknown_device', `no device ${ieee} in the network`);
    const bindings: BindingDescription[] = [];
    const reporting: ReportingDescription[] = [];
    for (const endpoint of device.endpoints) {
      for (const bind of endpoint.binds) {
        const target = bind.target as HerdsmanEndpoint | HerdsmanGroup;
        bindings.push({
          endpoint: endpoint.ID,
          cluster: bind.cluster.name,
          target: 'groupID' in target ? { group: target.groupID } : { ieee: target.deviceIeeeAddress, endpoint: target.ID },
        });
      }
      for (const r of endpoint.configuredReportings) {
        reporting.push({
          endpoint: endpoint.ID,
          cluster: r.cluster.name,
          attribute: r.attribute.name,
          minimumInterval: r.minimumReportInterval,
          maximumInterval: r.maximumReportInterval,
          reportableChange: r.reportableChange,
        });
      }
    }
    return { bindings, reporting };
  }

  private group(id: number): HerdsmanGroup {
    const group = this.o.controller().getGroupByID(id);
    if (!group) throw new ZigbeeError('unknown_device', `no group ${id} in the network`);
    return group;
  }
}

function outputClusters(endpoint: HerdsmanEndpoint): string {
  return endpoint.getOutputClusters().map((c) => c.name).join(', ') || 'none';
}

function describeTarget(target: BindTarget): string {
  return 'group' in target ? `group ${target.group}` : `${target.ieee}${target.endpoint !== undefined ? ` endpoint ${target.endpoint}` : ''}`;
}
