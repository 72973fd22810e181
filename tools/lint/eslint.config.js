// Lint for the whole repo, run from the repo root: `npm run lint` (and a step of .ci/run).
// Type-aware: the rules that catch an unhandled promise need the types, so each file is
// checked against its own tsconfig (tsconfig.json for server/test/bench/scripts, web/tsconfig.json
// for the console). Its own package: see package.json's description.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const catchCall = "CallExpression[callee.property.name='catch']";

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'build/**', 'web/dist/**', 'client/dist/**', 'web/src/gql/**', 'bench/results/**', 'test-results/**', 'tools/**', '**/*.cjs', '**/*.js', '**/*.mjs'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // the guard-rails: an unhandled rejection, a promise where a callback's result is ignored
      '@typescript-eslint/no-floating-promises': 'error',
      // React calls an event handler and drops its result; urql hands errors back as values,
      // which the handlers show, so an async onSubmit is the idiom there, not a lost rejection.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // passing on what a source threw (an iterator's throw, a socket's error) is not inventing a non-Error
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // an error swallowed without a word: log it, or handle it with a comment that says why
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': [
        'error',
        {
          selector: `${catchCall} > ArrowFunctionExpression.arguments[body.type='BlockStatement'][body.body.length=0]`,
          message: '`.catch(() => {})` swallows the error: log it, or name a handler that says why it may be ignored.',
        },
        {
          selector: `${catchCall} > FunctionExpression.arguments[body.body.length=0]`,
          message: 'An empty `.catch` handler swallows the error: log it, or name a handler that says why it may be ignored.',
        },
      ],
      // Off, not cheap to satisfy: GraphQL results, JSON bodies and graphql-sse's types are `any`
      // by nature; typing every test's response would be churn, not safety.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Off: the linter runs TypeScript 5.9 while the build runs 7; an assertion one needs and the
      // other does not would flap. Style, not a bug class.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off: an async function without await is how a method meets a Promise-returning interface.
      '@typescript-eslint/require-await': 'off',
      // Off: Yoga plugin hooks destructure `fetchAPI`, `endResponse`, … which are bound already.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // the console's React: Yoga's plugins are named use… too, so only here
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
