/** usage: node --import tsx scripts/replicate.ts IN OUT COPIES — see tests/support/replicate.ts */
import { replicate } from '../tests/support/replicate';

const [input, output, copies] = process.argv.slice(2);
if (!input || !output || !copies) {
  process.stderr.write('usage: replicate.ts IN OUT COPIES\n');
  process.exit(2);
}
const { bytes } = replicate(input, output, Number(copies));
process.stderr.write(`replicate: ${output} (${(bytes / 1e9).toFixed(2)} GB)\n`);
