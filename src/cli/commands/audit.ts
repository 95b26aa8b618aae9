import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import { generateSigningKey } from '../../domain/audit/checkpoint.ts';
import { runCheckpointJob } from '../../jobs/audit/checkpoint-job.ts';
import { loadSigningKey, loadVerifyingKeys, readCheckpointFile } from '../../runtime/audit-keys.ts';
import type { Config } from '../../runtime/config.ts';
import { ConfigError } from '../../runtime/config.ts';
import { verifyAuditChain } from '../../usecases/audit/audit-log.ts';
import { withDatabase } from '../io.ts';

/** audit verify, audit checkpoint, audit keygen. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Audit log tools');
  registerVerify(audit);
  registerCheckpoint(audit);
  registerKeygen(audit);
}

type VerifyOptions = { checkpoints?: boolean; publicKey?: string[]; checkpointFile?: string };

function registerVerify(audit: Command): void {
  audit
    .command('verify')
    .description(
      'Check the whole audit hash chain in one snapshot; names the first broken event. With --checkpoints, also hold it against the signed checkpoints (needs only the public key)',
    )
    .option('--checkpoints', 'verify the signed checkpoints and the chain at each of them')
    .option(
      '--public-key <file...>',
      'Ed25519 public key(s) (PEM) the checkpoints must be signed with; default: the configured signing key',
    )
    .option(
      '--checkpoint-file <file>',
      'the copy of the checkpoints kept outside the database (AUDIT_CHECKPOINT_FILE)',
    )
    .action((opts: VerifyOptions) =>
      withDatabase(({ db, config }) => handlingConfigErrors(() => verify(db, config, opts))),
    );
}

async function verify(db: Database, config: Config, opts: VerifyOptions): Promise<number> {
  const file = opts.checkpointFile ?? (opts.checkpoints ? config.AUDIT_CHECKPOINT_FILE : undefined);
  const checkpoints =
    opts.checkpoints || opts.checkpointFile
      ? {
          keys: loadVerifyingKeys(opts.publicKey ?? [], config),
          copy: file ? readCheckpointFile(file) : [],
        }
      : undefined;
  const v = await verifyAuditChain(db, checkpoints ? { checkpoints } : {});
  if (v.ok) {
    const signed =
      v.checkpointsVerified === undefined
        ? ''
        : `, ${v.checkpointsVerified} signed checkpoint(s) hold`;
    console.log(`audit chain OK: ${v.events} events, head ${v.headHash}${signed}`);
    return 0;
  }
  console.error(`audit chain BROKEN at event seq ${v.brokenSeq}: ${v.reason}`);
  return 1;
}

function registerCheckpoint(audit: Command): void {
  audit
    .command('checkpoint')
    .description('Sign the chain head now (the server also does it every AUDIT_CHECKPOINT_MINUTES)')
    .action(() =>
      withDatabase(({ db, config }) =>
        handlingConfigErrors(async () => {
          const key = loadSigningKey(config);
          if (!key) {
            console.error('no signing key: set AUDIT_SIGNING_KEY_FILE (`tongchou audit keygen`)');
            return 2;
          }
          const out = await runCheckpointJob({ db, key, file: config.AUDIT_CHECKPOINT_FILE });
          if (out.written)
            console.log(`checkpoint at seq ${out.checkpoint.seq} signed by key ${key.keyId}`);
          else console.log(`no checkpoint written: ${out.reason.replaceAll('_', ' ')}`);
          return 0;
        }),
      ),
    );
}

function registerKeygen(audit: Command): void {
  audit
    .command('keygen')
    .description(
      'Make an Ed25519 key pair for audit checkpoints: FILE (private, mode 600) and FILE.pub',
    )
    .requiredOption('--out <file>', 'where to write the private key (PEM); refuses to overwrite')
    .action((opts: { out: string }) => {
      const pub = `${opts.out}.pub`;
      if (existsSync(opts.out) || existsSync(pub)) {
        console.error(`${opts.out} or ${pub} exists: choose another --out`);
        process.exitCode = 2;
        return;
      }
      const pair = generateSigningKey();
      writeFileSync(opts.out, pair.privatePem, { mode: 0o600, flag: 'wx' });
      writeFileSync(pub, pair.publicPem, { mode: 0o644, flag: 'wx' });
      console.log(
        `key ${pair.keyId}: private ${opts.out} (keep it away from the database and its backups), public ${pub}`,
      );
    });
}

/** A missing key or a bad checkpoint file is a usage problem: its message and exit code 2. */
async function handlingConfigErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
}
