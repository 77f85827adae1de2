-- 0004_device_quarantine: a device whose data kept failing (or that the hub died while
-- handling) is quarantined: the hub ignores its messages until it is re-interviewed or
-- removed. NULL quarantine_reason = not quarantined.
ALTER TABLE devices ADD COLUMN quarantine_reason TEXT;
ALTER TABLE devices ADD COLUMN quarantine_stage TEXT;     -- 'interview', 'message', 'configure', 'start'
ALTER TABLE devices ADD COLUMN quarantined_at INTEGER;    -- ms since epoch
