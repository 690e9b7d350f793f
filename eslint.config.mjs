// ESLint (flat config): typescript-eslint's recommended rules, no import cycles, and the rooms'
// import rules from README § Development. test/unit/project/layers.test.ts checks the same rooms without
// ESLint, so `npm test` alone keeps them true too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

/** `no-restricted-paths` zones: `target` may not import `from`. */
const rooms = [
  {
    target: './src/core',
    from: ['./src/chart', './src/extension', './src/cli', './src/protocol.ts', './webview'],
    message: 'src/core imports only src/core and packages.',
  },
  {
    target: './src/protocol.ts',
    from: ['./src/chart', './src/extension', './src/cli', './webview'],
    message: 'src/protocol.ts imports only src/core (types).',
  },
  {
    target: './src/chart',
    from: ['./src/extension', './src/cli', './webview'],
    message: 'src/chart imports only src/core, src/protocol.ts, src/chart and packages.',
  },
  { target: './src/cli', from: ['./src/extension', './webview'], message: 'The CLI does not use extension or webview code.' },
  { target: './webview', from: ['./src/extension', './src/cli'], message: 'The webview runs in a page: host code is out of reach.' },
];

export default tseslint.config(
  {
    ignores: [
      'assembly/**',
      'dist/**',
      'dist-vsix/**',
      'node_modules/**',
      'test-results/**',
      'bench-results/**',
      '.vscode-test/**',
      'src/core/formats/tfevents.proto.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      // Without these, import-x parses no .ts dependency and no-cycle sees no edges.
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.host.json', 'tsconfig.webview.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-restricted-paths': ['error', { zones: rooms }],
      // Only src/extension talks to VS Code (overridden below).
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension imports vscode.' }] }],
      'max-lines': ['error', { max: 399 }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Code run in the page by page.evaluate sees the app's globals untyped; `any` says so honestly.
    files: ['test/browser/**/*.ts', 'test/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
