/** Whether a GPU type filter ("h100", "RTX 4090") matches any of a GPU's names, ignoring case, spaces and dashes. */
export function gpuMatches(filter: string | undefined, ...names: Array<string | undefined>): boolean {
  if (filter === undefined || filter.trim() === '') return true;
  const wanted = normalize(filter);
  return names.some((name) => name !== undefined && normalize(name).includes(wanted));
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
