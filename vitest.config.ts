import vue from '@vitejs/plugin-vue';
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
          include: [
            'tests/unit/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/fuzz/**/*.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        // The renderer's logic (stores, formatting, chart geometry, drawing) in a fake DOM.
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['tests/renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
