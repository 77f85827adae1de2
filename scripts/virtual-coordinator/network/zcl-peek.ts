// Just enough ZCL to tell a response from a spontaneous frame (the full codec lives in
// devices/). A fault that "drops responses" must not eat a sensor's periodic report.

/** Global (foundation) commands that answer a request. */
const RESPONSE_COMMANDS = new Set([0x01, 0x04, 0x05, 0x07, 0x09, 0x0b, 0x0d, 0x12, 0x14, 0x16]);

export function zclHeader(data: Buffer): { frameType: number; manufacturerSpecific: boolean; tsn: number; command: number } | undefined {
  if (data.length < 3) return undefined;
  const fc = data[0];
  const manufacturerSpecific = (fc & 0x04) !== 0;
  const base = manufacturerSpecific ? 3 : 1;
  if (data.length < base + 2) return undefined;
  return { frameType: fc & 0x03, manufacturerSpecific, tsn: data[base], command: data[base + 1] };
}

export function isZclResponse(data: Buffer): boolean {
  const header = zclHeader(data);
  return header !== undefined && header.frameType === 0 && RESPONSE_COMMANDS.has(header.command);
}
