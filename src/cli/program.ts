import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerCorrectionCommands } from './commands/benefits/correction.ts';
import { registerBenefitCommands } from './commands/benefits/decision.ts';
import { registerIndexationCommands } from './commands/benefits/indexation.ts';
import { registerMissingCommands } from './commands/benefits/missing.ts';
import { registerPayrollCommands } from './commands/benefits/payroll.ts';
import { registerRecoveryCommands } from './commands/benefits/recovery.ts';
import { registerRetirementCommands } from './commands/benefits/retirement.ts';
import { registerSeparationCommands } from './commands/benefits/separation.ts';
import { registerStopCommands } from './commands/benefits/stop.ts';
import { registerSurvivorCommands } from './commands/benefits/survivor.ts';
import { registerCalcCommand } from './commands/calc.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerAppraisalCommand } from './commands/cases/appraisal.ts';
import { registerCasesCommand } from './commands/cases/cases.ts';
import { registerContributionLedgerCommands } from './commands/contributions/assessment.ts';
import { registerDeclarationCommands } from './commands/contributions/declarations.ts';
import { registerFloatingCommands } from './commands/contributions/floating.ts';
import { registerContributionsCommand } from './commands/contributions/rate.ts';
import { registerRefundCommands } from './commands/contributions/refund.ts';
import { registerLedgerCommand } from './commands/fund/ledger.ts';
import { registerPoolingCommand } from './commands/fund/pooling.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerGenerateCommand } from './commands/registry/generate.ts';
import { registerRegistryCommand } from './commands/registry/registry.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerCrossProvinceCommands } from './commands/settlement/cross-province.ts';
import { registerDiagnosesCommands } from './commands/settlement/diagnoses-cli.ts';
import { registerReferralCommands } from './commands/settlement/referrals.ts';
import { registerSettlementCommand } from './commands/settlement/settlement.ts';

/**
 * The `tongchou` command. Every sub-command is a thin adapter over a use case, so the API, the CLI
 * and batch jobs share one implementation.
 */
export function buildProgram(): Command {
  const program = new Command('tongchou')
    .description('工伤保险基金省级统筹 — tongchou command line')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerInitCommand(program);
  registerAdminCommands(program);
  registerPoolingCommand(program);
  registerCalcCommand(program);
  const contributions = registerContributionsCommand(program);
  registerContributionLedgerCommands(program);
  registerFloatingCommands(contributions);
  registerRefundCommands(contributions);
  registerDeclarationCommands(program);
  registerLedgerCommand(program);
  registerRegistryCommand(program);
  registerGenerateCommand(program);
  registerCalendarCommands(program);
  registerAppraisalCommand(program);
  registerBenefitCommands(program);
  registerPayrollCommands(program);
  registerSeparationCommands(program);
  registerIndexationCommands(program);
  registerStopCommands(program);
  registerRecoveryCommands(program);
  registerCorrectionCommands(program);
  registerSurvivorCommands(program);
  registerRetirementCommands(program);
  registerMissingCommands(program);
  registerCasesCommand(program);
  registerSettlementCommand(program);
  // After it: cross-province hangs its commands under the same `settlement` command.
  registerCrossProvinceCommands(program);
  registerReferralCommands(program);
  registerDiagnosesCommands(program);
  return program;
}
