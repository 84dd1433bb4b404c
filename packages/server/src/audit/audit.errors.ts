/** A caller built an entry that cannot be stored faithfully: a bug, not a user's mistake. */
export class InvalidAuditRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAuditRecord';
  }
}

/** The checkpoint signing key is missing, malformed, open to other users or out of step. */
export class AuditKeyError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'AuditKeyError';
  }
}
