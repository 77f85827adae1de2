// Public surface of daemon/zigbee. Nothing exported here exposes zigbee-herdsman or
// zigbee-herdsman-converters types.
export { ZigbeeNetwork, type NetworkParameters } from './zigbee-network.js';
export { ZigbeeError, type ZigbeeErrorCode } from './errors.js';
export type { ExposeDescription } from './expose-description.js';
export { MAX_GROUP_ID, MIN_GROUP_ID, type GroupControl, type GroupDescription, type GroupMember, type MemberKey } from './group-control.js';
export { MAX_SCENE_ID, type SceneControl, type SceneTarget } from './scene-control.js';
export { BINDABLE_CLUSTERS, type BindingControl, type BindingDescription, type BindTarget, type ReportingDescription, type ReportingRequest } from './binding-control.js';
export { libraryVersions } from './library-versions.js';
export { ATTRIBUTE_SENTINELS, STATE_RULES, type AttributeSentinel, type StateRule } from './sanitizer.js';
export type {
  Clock,
  LeaveReason,
  NetworkCredentials,
  RemoveOptions,
  SerialAdapter,
  SerialDropStats,
  SerialOptions,
  StartResult,
  ZigbeeLogger,
  ZigbeeNetworkEventKind,
  ZigbeeNetworkEvents,
  ZigbeeNetworkOptions,
  ZigbeeNetworkStats,
} from './types.js';
