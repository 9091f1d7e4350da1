/** Adjusted Rand index of two labelings of the same points (1 = identical partitions; noise −1 is a label like any other). */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`adjustedRandIndex: lengths differ (${n} vs ${b.length})`);
  const pairs = (x: number): number => (x * (x - 1)) / 2;
  const joint = new Map<string, number>();
  const rowCounts = new Map<number, number>();
  const columnCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const key = `${x},${y}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rowCounts.set(x, (rowCounts.get(x) ?? 0) + 1);
    columnCounts.set(y, (columnCounts.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const count of joint.values()) index += pairs(count);
  let rowSum = 0;
  for (const count of rowCounts.values()) rowSum += pairs(count);
  let columnSum = 0;
  for (const count of columnCounts.values()) columnSum += pairs(count);
  const total = pairs(n);
  const expected = total === 0 ? 0 : (rowSum * columnSum) / total;
  const maximum = (rowSum + columnSum) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
