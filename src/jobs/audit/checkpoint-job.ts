import type { Database } from '../../db/client.ts';
import type { SigningKey } from '../../domain/audit/checkpoint.ts';
import { appendCheckpointFile, loadSigningKey } from '../../runtime/audit-keys.ts';
import type { Config } from '../../runtime/config.ts';
import { type CheckpointOutcome, writeCheckpoint } from '../../usecases/audit/checkpoints.ts';

export type CheckpointJob = { db: Database; key: SigningKey; file?: string | undefined };

/**
 * One checkpoint (`tongchou audit checkpoint` and the hourly schedule): signs the head and, when a
 * file is configured, appends the new checkpoint there too — a copy outside the database, which a
 * database owner cannot quietly shorten.
 */
export async function runCheckpointJob(job: CheckpointJob): Promise<CheckpointOutcome> {
  const out = await writeCheckpoint(job.db, job.key);
  if (out.written && job.file) appendCheckpointFile(job.file, out.checkpoint);
  return out;
}

/**
 * Runs the job at start and then every `intervalMinutes`. A failure is reported and the next tick
 * tries again; `stop` waits for a checkpoint being written, so the database is not closed under it.
 */
export function startCheckpointSchedule(
  job: CheckpointJob,
  intervalMinutes: number,
  report: (outcome: CheckpointOutcome | Error) => void,
): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(() =>
      runCheckpointJob(job).then(report, (err: unknown) =>
        report(err instanceof Error ? err : new Error(String(err))),
      ),
    );
  };
  tick();
  const timer = setInterval(tick, intervalMinutes * 60_000);
  // The schedule alone must not keep the process alive after the server closed.
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** What the schedule reports through (the server's pino logger fits). */
export type JobLog = {
  info: (details: Record<string, unknown>, message: string) => void;
  warn: (details: Record<string, unknown>, message: string) => void;
  error: (details: Record<string, unknown>, message: string) => void;
};

/**
 * The server's hourly checkpoints, when a signing key is configured (a wrong key setting throws
 * ConfigError before the server listens). Without a key the chain is still hash-linked but a
 * database owner could rewrite it unnoticed: said once in the log.
 */
export function startAuditCheckpoints(
  db: Database,
  config: Config,
  log: JobLog,
): { stop: () => Promise<void> } {
  const key = loadSigningKey(config);
  if (!key) {
    log.warn({}, 'audit checkpoints off: set AUDIT_SIGNING_KEY_FILE (docs/security.md)');
    return { stop: async () => undefined };
  }
  const job = { db, key, file: config.AUDIT_CHECKPOINT_FILE };
  return startCheckpointSchedule(job, config.AUDIT_CHECKPOINT_MINUTES, (outcome) => {
    if (outcome instanceof Error) log.error({ err: outcome }, 'audit checkpoint failed');
    else if (outcome.written)
      log.info({ seq: outcome.checkpoint.seq, keyId: key.keyId }, 'audit checkpoint signed');
  });
}
