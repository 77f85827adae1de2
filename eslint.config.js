// Lint for `npm test`. The rules that matter most here are type-aware: a promise nobody
// observes becomes an unhandled rejection (which can stop the hub), and a promise passed where
// a callback's return value is ignored loses its errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tap/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Names, ids and device strings are checked for control characters on purpose.
      'no-control-regex': 'off',
      // `let x; const stop = () => x?.close(); x = start();`: declared before the closures that use it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // gRPC clients and messages built from .proto files at run time have no static types.
    files: ['scripts/**/*.ts', 'test/**/*.ts', 'daemon/lan/grpc-*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // node-tap tracks the promise of every t.test() itself (it waits for all subtests and
    // reports a rejection as a failure), so not awaiting them in test files is the idiom.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
