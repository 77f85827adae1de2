// Turns a zigbee-herdsman 'message' event into named state with the real
// zigbee-herdsman-converters definition, the way the daemon (and Zigbee2MQTT) do.
import * as zhc from 'zigbee-herdsman-converters';

// The converters' generic types are far stricter than a test needs.
type Loose = any;  

export async function definitionOf(device: Loose): Promise<Loose> {
  const definition = await zhc.findByDevice(device);
  if (!definition) throw new Error(`no converters definition for ${device.ieeeAddr} (${device.modelID})`);
  return definition;
}

export async function stateFromMessage(message: Loose): Promise<Record<string, unknown>> {
  const definition = await definitionOf(message.device);
  const state: Record<string, unknown> = {};
  const meta = { device: message.device, state: {}, deviceExposesChanged: () => undefined };
  for (const converter of definition.fromZigbee as Loose[]) {
    const clusters = Array.isArray(converter.cluster) ? converter.cluster : [converter.cluster];
    const types = Array.isArray(converter.type) ? converter.type : [converter.type];
    if (!clusters.includes(message.cluster) || !types.includes(message.type)) continue;
    const result = await converter.convert(definition, message, () => undefined, {}, meta);
    if (result) Object.assign(state, result);
  }
  return state;
}
