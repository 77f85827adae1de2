-- 0006_device_options: per-device converter options (temperature_calibration, precision,
-- transition, invert_cover, ...), as a JSON object checked against the device definition's
-- options before it is stored. NULL = none. Goes with the device row.
ALTER TABLE devices ADD COLUMN options TEXT;
