// NV item ids of Z-Stack 3.x (ZComDef.h / ZGlobals.h) used by hosts such as zigbee-herdsman.

export const NvId = {
  EXTADDR: 0x0001,
  STARTUP_OPTION: 0x0003,
  NIB: 0x0021,
  EXTENDED_PAN_ID: 0x002d,
  NWK_ACTIVE_KEY_INFO: 0x003a,
  NWK_ALTERN_KEY_INFO: 0x003b,
  APS_USE_EXT_PANID: 0x0047,
  APS_LINK_KEY_TABLE: 0x004c,
  ZNP_HAS_CONFIGURED: 0x0060,
  PRECFGKEY: 0x0062,
  PRECFGKEYS_ENABLE: 0x0063,
  NWKKEY: 0x0082,
  PANID: 0x0083,
  CHANLIST: 0x0084,
  LOGICAL_TYPE: 0x0087,
  ZDO_DIRECT_CB: 0x008f,
  TCLK_SEED: 0x0101,
} as const;

/** NV system id of the Z-Stack tables addressed by (item, sub-id) in the extended NV API. */
export const NV_SYSID_ZSTACK = 1;

export const NvExId = {
  ADDRMGR: 0x0001,
  BINDING_TABLE: 0x0002,
  DEVICE_LIST: 0x0003,
  TCLK_TABLE: 0x0004,
  TCLK_IC_TABLE: 0x0005,
  APS_KEY_DATA_TABLE: 0x0006,
  NWK_SEC_MATERIAL_TABLE: 0x0007,
} as const;

/** STARTUP_OPTION bits honoured on reset. */
export const StartupOption = {
  CLEAR_CONFIG: 0x01,
  CLEAR_STATE: 0x02,
} as const;

/** Status codes the SYS NV commands answer with. */
export const NvStatus = {
  SUCCESS: 0x00,
  FAILURE: 0x01,
  /** osalNvItemInit: the item did not exist and was created. */
  ITEM_UNINIT: 0x09,
  OPER_FAILED: 0x0a,
  BAD_ITEM_LEN: 0x0c,
} as const;
