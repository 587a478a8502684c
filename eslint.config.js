import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * ESLint with type information (typescript-eslint's project service reads tsconfig.json), so
 * the promise rules see what every call returns: a rejected promise nobody awaits would end the
 * daemon (Node's default on an unhandled rejection). Which layer may import which is checked by
 * dependency-cruiser (.dependency-cruiser.mjs), not here. Formatting is prettier's alone: these
 * rule sets hold no layout rules, so nothing here fights it.
 */
export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'var/', 'bench/results/', 'src/config/generated/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'vitest.install.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A leading underscore marks what is left unused on purpose: the rest of an object after
      // taking out one field (`const { hash: _hash, ...rest } = event`), a callback's position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // The few plain scripts (CI's counter, test helpers run as child processes, this file) are
    // outside tsconfig.json: lint them without type information, as Node modules.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
