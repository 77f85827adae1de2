-- 0008_groups_scenes: a group's state as derived from its members (hub/group-state.ts), one
-- row per (group, key) like device_state.
CREATE TABLE group_state (
  group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,                -- canonical JSON
  updated_at INTEGER NOT NULL,                -- ms since epoch
  PRIMARY KEY (group_id, key)
) STRICT;
