-- 0005_lan_clients: clients paired with the LAN API. Only the SHA-256 of each bearer token is
-- kept, so a copy of the database (or a backup) does not let anyone in. Revoking deletes the row.
CREATE TABLE lan_clients (
  id           TEXT    PRIMARY KEY NOT NULL,   -- public id, for listing and revoking
  name         TEXT    NOT NULL,
  token_sha256 TEXT    NOT NULL UNIQUE,        -- hex
  scope        TEXT    NOT NULL CHECK (scope IN ('read', 'control', 'admin')),
  created_at   INTEGER NOT NULL,               -- ms since epoch
  last_used_at INTEGER                         -- ms since epoch; NULL = never
) STRICT;
