-- 0001_init: the hub's device table, latest device state, the cloud outbox and settings.
-- Applied once, inside one transaction, by daemon/store/migrations.ts. Never edit this file
-- after release: the store records its sha256 and refuses a database whose migration changed.

-- One row per device the hub has ever paired (until a user removes it). A device that
-- leaves the network keeps its row (left_at set), so a re-pair keeps its name and room.
CREATE TABLE devices (
  ieee              TEXT    PRIMARY KEY NOT NULL,
  nwk               INTEGER NOT NULL,
  type              TEXT    NOT NULL CHECK (type IN ('Coordinator', 'Router', 'EndDevice', 'Unknown')),
  manufacturer_code INTEGER,
  manufacturer_name TEXT,
  model_id          TEXT,
  model             TEXT,     -- resolved by zigbee-herdsman-converters; NULL when unsupported
  vendor            TEXT,
  description       TEXT,
  supported         INTEGER NOT NULL CHECK (supported IN (0, 1)),
  power_source      TEXT,
  endpoints         TEXT    NOT NULL CHECK (json_valid(endpoints)),
  interview         TEXT    NOT NULL CHECK (interview IN ('pending', 'in_progress', 'successful', 'failed')),
  -- Friendly name, unique without regard to ASCII case so "Kitchen" and "kitchen" cannot
  -- both exist (users and hubctl address devices by name). Defaults to the ieee.
  name              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  room              TEXT,
  joined_at         INTEGER NOT NULL,   -- ms since epoch, first join
  last_seen         INTEGER,            -- ms since epoch, last frame heard
  linkquality       INTEGER,
  available         INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
  left_at           INTEGER             -- ms since epoch when it left the network; NULL while joined
) STRICT;

-- Latest state, one row per (device, key): comparing and writing a single changed key does
-- not rewrite the whole document, and each key keeps its own updated_at.
CREATE TABLE device_state (
  ieee       TEXT    NOT NULL REFERENCES devices (ieee) ON DELETE CASCADE,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,   -- JSON
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (ieee, key)
) STRICT, WITHOUT ROWID;

-- Events waiting for the cloud, in commit order. AUTOINCREMENT so a seq is never reused,
-- even after every row was acknowledged and deleted (the cloud de-duplicates by seq).
CREATE TABLE outbox (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,    -- ms since epoch
  kind    TEXT    NOT NULL,
  class   TEXT    NOT NULL CHECK (class IN ('telemetry', 'keep')),
  payload TEXT    NOT NULL,    -- the HubEvent, JSON
  bytes   INTEGER NOT NULL     -- UTF-8 size of payload, summed for the byte bound
) STRICT;

-- Finds the oldest telemetry quickly when the outbox must shed load.
CREATE INDEX outbox_telemetry_by_seq ON outbox (seq) WHERE class = 'telemetry';

-- Cumulative acknowledgement per consumer ('cloud').
CREATE TABLE cloud_cursor (
  stream     TEXT    PRIMARY KEY NOT NULL,
  acked_seq  INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key        TEXT    PRIMARY KEY NOT NULL,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
