// Lint for the whole workspace: typescript-eslint with type-checked rules over TypeScript sources and
// tests (the root tsconfig.json covers both); plain recommended rules over the .mjs/.cjs scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.benchmark_results/**',
      'coverage/**',
      'test/fixtures/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['vitest.config.ts', 'packages/*/tsup.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // The sanitizers (XML, Markdown, GitHub commands, display text) and the tests that check them
    // match control characters on purpose; that is what this rule forbids.
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Passing an unknown rejection through unchanged (abort races, wrappers) is not inventing a non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // Tests assert on untyped data they parse themselves (JSON files, JUnit XML, CLI output, browser
    // globals in Playwright): its shape is what they check, so typing it first would only restate the
    // assertions. Sources stay fully checked.
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Module augmentation must repeat the augmented interface's exact type parameters (`T = {}`, unused
    // ones included) and Jest's global `jest` namespace, or the declarations don't merge.
    files: ['packages/vitest/src/augment.ts', 'packages/jest/src/matchers.ts'],
    rules: {
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // Inside Jest, `require` is the test file's sandboxed require: only it serves @jest/globals per file.
    files: ['packages/jest/src/jest-globals.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^@jest/globals$', '^jest/package\\.json$'] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // the dashboard's boot script runs in the browser, next to the inlined Chart.js
    files: ['packages/core/src/report/html/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Chart: 'readonly' } },
  },
);
