// hubctl's exit codes (documented in README.md and `hubctl --help`'s source) and the error
// for a bad command line.
export const EXIT = { ok: 0, refused: 1, usage: 2, config: 3, fingerprint: 4, unavailable: 5 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
