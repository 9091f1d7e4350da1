import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@corpus-proximity\/core\/test$/, replacement: src('core/src/test/index.ts') },
      { find: /^@corpus-proximity\/core\/internal$/, replacement: src('core/src/internal.ts') },
      { find: /^@corpus-proximity\/core$/, replacement: src('core/src/index.ts') },
      { find: /^@corpus-proximity\/embedders$/, replacement: src('embedders/src/index.ts') },
      { find: /^@corpus-proximity\/clusterers$/, replacement: src('clusterers/src/index.ts') },
      { find: /^@corpus-proximity\/namers$/, replacement: src('namers/src/index.ts') },
      { find: /^@corpus-proximity\/annotate$/, replacement: src('annotate/src/index.ts') },
      { find: /^@corpus-proximity\/providers\/test-servers$/, replacement: src('providers/src/test/fake-servers.ts') },
      { find: /^@corpus-proximity\/providers\/test$/, replacement: src('providers/src/test/index.ts') },
      { find: /^@corpus-proximity\/providers$/, replacement: src('providers/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
