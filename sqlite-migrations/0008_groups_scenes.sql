-- 0008_groups_scenes: a group's state as derived from its members (hub/group-state.ts), one
-- row per (group, key) like device_state.
CREATE TABLE group_state (
  group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,                -- canonical JSON
  updated_at INTEGER NOT NULL,                -- ms since epoch
  PRIMARY KEY (group_id, key)
) STRICT;

-- Scenes (genScenes) stored on a group (group_id set, ieee NULL) or on one endpoint of a device
-- (ieee and endpoint set, group_id NULL; the Zigbee scene's group is 0 then), by scene id
-- 0..255, with a name unique per target and the state the hub saw when it was stored (JSON
-- object ieee -> state), given back to the members when it is recalled.
CREATE TABLE scenes (
  group_id   INTEGER REFERENCES groups (id) ON DELETE CASCADE,
  ieee       TEXT    REFERENCES devices (ieee) ON DELETE CASCADE,
  endpoint   INTEGER,
  scene_id   INTEGER NOT NULL CHECK (scene_id BETWEEN 0 AND 255),
  name       TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,                -- ms since epoch
  CHECK ((group_id IS NULL) <> (ieee IS NULL)),
  CHECK ((ieee IS NULL) = (endpoint IS NULL))
) STRICT;

CREATE UNIQUE INDEX scenes_by_target ON scenes (COALESCE(group_id, 0), COALESCE(ieee, ''), COALESCE(endpoint, 0), scene_id);
CREATE UNIQUE INDEX scenes_by_name ON scenes (COALESCE(group_id, 0), COALESCE(ieee, ''), COALESCE(endpoint, 0), name);
