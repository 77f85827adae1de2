-- 0002_seen_commands: the ids of commands the hub has accepted from the cloud, so a command the
-- platform re-sends after a reconnect or a hub restart runs at most once. Bounded by the store
-- (the oldest ids are forgotten first); seq gives that order without relying on clocks.
CREATE TABLE seen_commands (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  id      TEXT    NOT NULL UNIQUE,
  seen_at INTEGER NOT NULL   -- ms since epoch
) STRICT;
