// `npm run audit:verify`: recomputes every audit chain, checks it against the signed checkpoints,
// prints what it found and exits 0 when the log is intact, 1 otherwise (or when it cannot check).
// The checkpoints and public key are read from CARNET_AUDIT_DIR, by default <CARNET_DATA_DIR>/audit.
// With the embedded database, stop Carnet first: one process at a time opens its data folder.
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { CHECKPOINT_FILE } from './audit.checkpoint.ts';
import { AuditKeyError } from './audit.errors.ts';
import { loadPublicKey, PUBLIC_KEY_FILE } from './audit.signing-key.ts';
import { type AuditProblem, type AuditVerification, verifyAudit } from './audit.verify.ts';

try {
  const config = loadConfig(process.env);
  const checkpointFile = path.join(config.auditDir, CHECKPOINT_FILE);
  const publicKey = await loadPublicKey(path.join(config.auditDir, PUBLIC_KEY_FILE));
  const connection = await connectDatabase(config);
  try {
    const result = await verifyAudit(connection.db, { checkpointFile, publicKey });
    process.stdout.write(formatReport(result, checkpointFile));
    process.exitCode = result.intact ? 0 : 1;
  } finally {
    await connection.close();
  }
} catch (error) {
  const known = error instanceof ConfigError || error instanceof AuditKeyError;
  process.stderr.write(`Could not verify the audit log: ${known ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

function formatReport(result: AuditVerification, checkpointFile: string): string {
  const lines = [
    `Audit log: ${result.entries} entries in ${result.chains} chains.`,
    result.checkpoints.valid === 0
      ? `No valid checkpoint in ${checkpointFile}: entries cut off the end of a chain cannot be detected.`
      : `${result.checkpoints.valid} valid checkpoint${result.checkpoints.valid === 1 ? '' : 's'} in ${checkpointFile}, the newest of ${result.checkpoints.latestAt}.`,
  ];
  if (result.intact) {
    lines.push('Intact: every chain matches its hashes and every checkpoint.');
  } else {
    const total = result.problems.length + result.unlistedProblems;
    lines.push(`NOT INTACT: ${total} problem${total === 1 ? '' : 's'}.`);
    for (const problem of result.problems) lines.push(`  ${describe(problem)}`);
    if (result.unlistedProblems > 0) lines.push(`  … and ${result.unlistedProblems} more.`);
  }
  return `${lines.join('\n')}\n`;
}

function describe(problem: AuditProblem): string {
  switch (problem.kind) {
    case 'modified':
      return `modified   chain ${problem.patientId} entry ${problem.seq}: ${problem.detail}`;
    case 'removed':
      return problem.count === 1
        ? `removed    chain ${problem.patientId} entry ${problem.seq}`
        : `removed    chain ${problem.patientId} entries ${problem.seq}–${problem.seq + problem.count - 1}`;
    case 'truncated':
      return `truncated  chain ${problem.patientId} entry ${problem.seq}: ${problem.detail}`;
    case 'bad-checkpoint-signature':
      return `bad checkpoint  line ${problem.line} of the checkpoint file: ${problem.detail}`;
  }
}
