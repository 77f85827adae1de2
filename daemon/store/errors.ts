// Errors the store throws on purpose. Callers switch on `code`; messages are for people.

export type StoreErrorCode =
  | 'migration_changed'
  | 'database_newer'
  | 'migration_failed'
  | 'bad_migrations_dir'
  | 'name_taken'
  | 'invalid_argument'
  | 'unknown_device'
  | 'closed'
  | 'commit_failed'
  | 'open_failed'
  | 'unsafe_runtime';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class NameTakenError extends StoreError {
  constructor(
    readonly requestedName: string,
    readonly takenBy: string,
  ) {
    super('name_taken', `name "${requestedName}" is already used by device ${takenBy}`);
    this.name = 'NameTakenError';
  }
}

export class UnknownDeviceError extends StoreError {
  constructor(readonly ieee: string) {
    super('unknown_device', `device ${ieee} is not in the device table`);
    this.name = 'UnknownDeviceError';
  }
}
