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
 * A data key is wrapped by a master key this process was not given: a rotation is half done and
 * the previous key was dropped from the configuration too early, or the nodes disagree on the key.
 */
export class MasterKeyUnavailable extends CarnetError {
  readonly masterKeyId: string;

  constructor(masterKeyId: string) {
    super(
      'master_key_unavailable',
      500,
      `Stored data keys are wrapped by master key ${masterKeyId}, which is not configured. ` +
        'Give it in CARNET_MASTER_KEY_PREVIOUS until the rotation has re-wrapped every key.',
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
  constructor(what: 'file' | 'data key', reason: string) {
    super('decryption_failed', 500, `A stored ${what} could not be decrypted: ${reason}.`);
    this.name = 'DecryptionFailed';
  }
}
