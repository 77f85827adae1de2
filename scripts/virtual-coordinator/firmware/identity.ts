// What the emulated stick says it is: a CC2652 running Z-Stack 3.x.0 coordinator firmware.

export const FirmwareIdentity = {
  transportRev: 2,
  /** 0 = Z-Stack 1.2, 1 = Z-Stack 3.x.0, 2 = Z-Stack 3.0.x */
  product: 1,
  major: 2,
  minor: 7,
  maint: 1,
  /** Build date; >= 20211029 tells hosts the firmware drives the LED and knows assocAdd/Remove. */
  revision: 20221226,
  hwRev: 1,
  /** MT capability bits of a ZNP build: SYS MAC NWK AF ZDO SAPI UTIL APP APP_CNF GP. */
  capabilities: 0x1d7f,
} as const;

export const DevState = {
  HOLD: 0,
  COORD_STARTING: 8,
  ZB_COORD: 9,
} as const;

export const ResetReason = {
  POWER_UP: 0,
  EXTERNAL: 1,
  WATCHDOG: 2,
} as const;
