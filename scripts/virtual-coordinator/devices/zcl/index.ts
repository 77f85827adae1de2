// Public surface of the simulated devices' own ZCL codec (independent of zigbee-herdsman).

export { ByteReader, ByteWriter } from './byte-reader.js';
export { DataType, dataTypeName, isAnalogDataType, type DataTypeName } from './data-types.js';
export { ZclDecodeError, ZclEncodeError } from './errors.js';
export { decodeFrame, encodeFrame, type Direction, type FrameType, type ZclHeader, type ZclMessage } from './frame.js';
export {
  decodeFoundation,
  encodeFoundation,
  foundationName,
  FoundationId,
  ReportDirection,
  type AttributeRecord,
  type ConfigReportRspRecord,
  type FoundationName,
  type FoundationPayload,
  type ReadReportConfigRspRecord,
  type ReadRspRecord,
  type ReportingConfig,
  type WriteRspRecord,
} from './foundation.js';
export { Status, type StatusName } from './status.js';
export {
  decodeValue,
  encodeValue,
  isArrayValue,
  isStructValue,
  readValue,
  writeValue,
  type ZclArrayValue,
  type ZclData,
  type ZclStructValue,
} from './values.js';
export { decodeXiaomiStruct, encodeXiaomiStruct, type XiaomiStructEntry } from './xiaomi-struct.js';
