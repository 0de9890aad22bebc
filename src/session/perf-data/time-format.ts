/** perf's timestamp__scnprintf_usec: seconds.microseconds, truncated. */
export function formatTimeUsec(abs: bigint | number): string {
  if (typeof abs === 'number' && Number.isSafeInteger(abs) && abs >= 0) {
    const secs = Math.floor(abs / 1e9);
    const usecs = Math.floor((abs - secs * 1e9) / 1e3);
    return `${secs}.${String(usecs).padStart(6, '0')}`;
  }
  const b = BigInt(abs);
  const secs = b / 1_000_000_000n;
  const usecs = (b % 1_000_000_000n) / 1000n;
  return `${secs}.${usecs.toString().padStart(6, '0')}`;
}
