/** Environment variable every instance this tool creates carries, holding its tag. */
export const TAG_ENV = 'CORPUS_PROXIMITY_TAG';

/**
 * The name an instance is created under: the tag is its prefix (`<tag>-<name>`), so that listing by
 * tag works from the name alone, whatever else the API returns. A name that already starts with it is kept.
 */
export function taggedName(name: string, tag: string): string {
  return hasTagPrefix(name, tag) ? name : `${tag}-${name}`;
}

/** Whether an instance name carries the tag as its prefix. */
export function hasTagPrefix(name: string, tag: string): boolean {
  return name.startsWith(`${tag}-`);
}
