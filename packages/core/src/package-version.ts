import { createRequire } from 'node:module';

let version: string | undefined;
/** The version in core's package.json (src/ and dist/ both sit next to it), or 'unknown'. */
export function packageVersion(): string {
  try {
    version ??= (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  } catch {
    version = 'unknown';
  }
  return version;
}
