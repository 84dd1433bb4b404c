import { CarnetError } from '../errors.ts';

/**
 * The master key is missing or malformed. Thrown at start-up, before any request: the message
 * names the variable or file and what a valid key looks like, never the value it was given.
 */
export class MasterKeyError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MasterKeyError';
  }
}

/** The patient's data key was destroyed (crypto-shredding): their files can never be read again. */
export class PatientKeyDestroyed extends CarnetError {
  constructor() {
    super('patient_key_destroyed', 410, "This patient's files were destroyed and can no longer be read or added.");
    this.name = 'PatientKeyDestroyed';
  }
}

/**
 * Something is sealed by a master key this process was not given: CARNET_MASTER_KEY is not the
 * key the database was set up with, the nodes disagree on the key, or a rotation's old key was
 * dropped from the configuration before `npm run keys:rotate` re-wrapped everything.
 */
export class MasterKeyUnavailable extends CarnetError {
  readonly masterKeyId: string;

  constructor(masterKeyId: string, what: 'data keys' | 'TOTP secrets' = 'data keys') {
    super(
      'master_key_unavailable',
      500,
      `Stored ${what} are sealed by master key ${masterKeyId}, which is not configured. ` +
        'If CARNET_MASTER_KEY (or its key file) is not the key this database was set up with, restore that key; ' +
        'during a rotation, give the old key in CARNET_MASTER_KEY_PREVIOUS until `npm run keys:rotate` reports nothing left.',
    );
    this.name = 'MasterKeyUnavailable';
    this.masterKeyId = masterKeyId;
  }
}

/**
 * Stored bytes failed authentication: they were altered, truncated, belong to another patient or
 * file, or were sealed under another key. Nothing of the plaintext is returned.
 */
export class DecryptionFailed extends CarnetError {
  constructor(what: 'file' | 'data key' | 'secret', reason: string) {
    super('decryption_failed', 500, `A stored ${what} could not be decrypted: ${reason}.`);
    this.name = 'DecryptionFailed';
  }
}
