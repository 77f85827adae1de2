-- 0007_groups: Zigbee groups by their 16-bit id, with a friendly name, and their member
-- endpoints as the devices were told (reconciled with herdsman's groups at start).
CREATE TABLE groups (
  id         INTEGER PRIMARY KEY NOT NULL CHECK (id BETWEEN 1 AND 65527),
  name       TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL                 -- ms since epoch
) STRICT;

CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  ieee     TEXT    NOT NULL REFERENCES devices (ieee) ON DELETE CASCADE,
  endpoint INTEGER NOT NULL,
  PRIMARY KEY (group_id, ieee, endpoint)
) STRICT;
