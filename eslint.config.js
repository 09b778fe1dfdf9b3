import tseslint from 'typescript-eslint';

/** Which folders a folder may not import from: the arrows of docs/ARCHITECTURE.md, enforced. */
const boundaries = [
  { files: ['src/**/*.ts'], ignores: ['src/main.ts'], forbidden: ['bots', 'handlers', 'adapters', 'fakes', 'test', 'bench', 'scripts'] },
  { files: ['handlers/**/*.ts'], forbidden: ['bots', 'adapters', 'fakes', 'test', 'bench', 'scripts'] },
  { files: ['bots/**/*.ts'], forbidden: ['adapters', 'fakes', 'test', 'bench', 'scripts'] },
  { files: ['adapters/**/*.ts'], forbidden: ['bots', 'handlers', 'fakes', 'test', 'bench', 'scripts'] },
  { files: ['fakes/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'], forbidden: ['test'] },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...boundaries.map(({ files, ignores, forbidden }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
              message: `${files[0].split('/')[0]}/ may not import from ${forbidden.join(', ')} (see docs/ARCHITECTURE.md).`,
            },
          ],
        },
      ],
    },
  })),
);
