/** Zigbee group ids a person may use (0 and 0xFFF8.. are reserved by the stack). */
export const MIN_GROUP_ID = 1;
export const MAX_GROUP_ID = 0xfff7;
