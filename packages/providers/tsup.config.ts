import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', 'test/index': 'src/test/index.ts', 'test/fake-servers': 'src/test/fake-servers.ts' }, external: ['vitest'] }));
