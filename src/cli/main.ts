import { buildProgram } from './program.ts';

/** The `tongchou` entry point (bin/tongchou.mjs): the program of ./program.ts run on argv. */
const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { exitCode?: number }).exitCode;
  if (typeof code === 'number') process.exitCode = code;
  else throw err;
}
