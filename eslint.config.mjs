// `npm run lint`: typescript-eslint's type-checked rules over the extension, the server, the tests, the
// scripts and the benchmark. Type-aware rules read the program through TypeScript's JS API (typescript 6).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'out/', '.cache/', 'test-results/', 'node_modules/', 'corpus/', 'examples/', 'bin/', 'eslint.config.mjs'] },
  {
    files: ['client/src/**/*.ts', 'server/src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.{ts,mjs}', 'bench/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript resolves names itself (typescript-eslint's advice); no-undef knows no Node globals in scripts/build.mjs.
      'no-undef': 'off',
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
    },
  },
  {
    // Plain JavaScript has no types to check values against: the no-unsafe-* rules would flag every library call.
    files: ['scripts/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
