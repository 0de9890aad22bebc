import { perfwsProgram } from './program';

/** The `perfws` entry (bin/perfws.mjs runs the build of this file). */
await perfwsProgram().parseAsync(process.argv);
