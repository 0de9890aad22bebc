import { defineConfig } from 'vitest/config';

// Tests run with a fixed time zone and locale so that printed times and sort orders are stable.
process.env.TZ = 'UTC';
process.env.LC_ALL = 'C';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
