// Loaded with `node --import` into a process whose peak memory a test measures: prints the
// process's own maximum resident set size (KiB) on stderr as it exits.
import process from 'node:process';
process.on('exit', () => {
  process.stderr.write(`peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
