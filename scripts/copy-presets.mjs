// Copies the repository's configs/*.json into packages/cli/configs, so the published CLI ships its presets.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'packages', 'cli', 'configs');
mkdirSync(target, { recursive: true });
for (const file of readdirSync(join(root, 'configs'))) if (file.endsWith('.json')) copyFileSync(join(root, 'configs', file), join(target, file));
