// @ts-check
import eslint from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/**
 * The import table below IS the architecture (see src/README.md):
 *   shared   imports nothing outside itself (no node:*, electron, DOM or vue)
 *   session  imports shared and Node built-ins, never electron
 *   cli      imports shared, session and Node built-ins, never electron
 *   main     imports shared and electron; reaches the session only as a module path
 *   preload  imports contract types only
 *   renderer imports shared and UI libraries, never Node, electron or session code
 */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const NODE = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'],
  message: 'no Node built-ins in this layer',
};
const ELECTRON = {
  group: ['electron', 'electron/*'],
  message: 'only src/main may import electron',
};
const SESSION = {
  group: ['**/session/**', '@session/*'],
  message: 'reach the session through the contract, not its code',
};
const UI = {
  group: ['vue', 'pinia', 'echarts', 'echarts/*'],
  message: 'UI libraries belong to the renderer',
};
const MAIN = { group: ['**/main/**'], message: 'the Electron main process is not a library' };
const RENDERER = {
  group: ['**/renderer/**'],
  message: 'renderer code is not importable from here',
};
const CLI = { group: ['**/cli/**'], message: 'the CLI is an entry point, not a library' };

export default tseslint.config(
  {
    ignores: [
      'scratch-*',
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Vue single-file components (the renderer): Vue's recommended rules, TypeScript in <script>.
  ...pluginVue.configs['flat/recommended'].map((config) => ({
    ...config,
    files: ['src/renderer/**/*.vue'],
  })),
  {
    files: ['src/renderer/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    rules: {
      // vue-tsc checks names; ESLint's no-undef knows neither DOM nor TypeScript types.
      'no-undef': 'off',
      // Prettier owns formatting.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  layer(['src/shared/**'], [NODE, ELECTRON, SESSION, UI, MAIN, RENDERER, CLI]),
  layer(['src/session/**'], [ELECTRON, UI, MAIN, RENDERER, CLI]),
  layer(['src/cli/**'], [ELECTRON, UI, MAIN, RENDERER]),
  layer(['src/main/**'], [SESSION, UI, RENDERER, CLI]),
  layer(['src/preload/**'], [NODE, SESSION, UI, MAIN, RENDERER, CLI]),
  layer(['src/renderer/**'], [NODE, ELECTRON, SESSION, MAIN, CLI]),
  {
    files: ['scripts/**', 'bin/**', '*.config.*', '.ci/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
