import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../identity/actor.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type EmployerRow, employerOfActor } from '../../../usecases/registry/employers.ts';
import { ProblemError } from '../../errors.ts';

/** Today's date in China, the default date of register and case reads. */
export function today(): string {
  return todayInChina();
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/**
 * Ids of the demo register (seed-registry-demo.ts) for the examples of the generated route tests:
 * the first employer of a city, a worker of it, a spell (serial 6: at the second employer; 1–4:
 * at the first, the demo employer's in 杭州).
 */
export const registryExamples = {
  employerId: (regionCode: string) => `emp_${regionCode}_${hex16(1)}`,
  workerId: (regionCode: string) => `wkr_${hex16(Number(regionCode) * 100 + 2)}`,
  spellId: (regionCode: string, serial = 6) => `spl_${regionCode}_${hex16(serial)}`,
  /** A valid 公民身份号码 nobody in the demo holds (男, 1990-01-01). */
  idNumber: '330102199001011234',
};

/**
 * The employer an employer-role user stands for (its scope names the credit code); every
 * self-service route reads and writes that one only, and any other user has none (404).
 */
export async function ownEmployer(app: FastifyInstance, actor: Actor): Promise<EmployerRow> {
  const employer = await employerOfActor(app.deps.db, actor);
  if (!employer)
    throw new ProblemError(
      'record.not_found',
      'your account does not stand for a registered employer',
    );
  return employer;
}
