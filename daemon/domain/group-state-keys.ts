// The state keys a group shares with its members, as in Zigbee2MQTT's groups extension: what
// a light or switch group means ("the group is on, at this brightness"). Other keys (power,
// temperature, battery) belong to each member alone.
export const GROUP_STATE_KEYS: readonly string[] = ['state', 'brightness', 'color_temp', 'color', 'color_mode'];

export function isGroupStateKey(key: string): boolean {
  return GROUP_STATE_KEYS.includes(key);
}
