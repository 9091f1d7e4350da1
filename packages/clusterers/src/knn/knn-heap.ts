// A fixed-size max-heap of (distance, index) per row, stored flat at `base`: the k nearest so far, farthest on top.

/** Replaces the root of a max-heap stored at `base` (size `size`) and sifts it down. */
export function heapReplaceTop(distance: Float64Array, index: Int32Array, base: number, size: number, d: number, j: number): void {
  let position = 0;
  for (;;) {
    const left = 2 * position + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && (distance[base + right] as number) > (distance[base + left] as number)) child = right;
    if ((distance[base + child] as number) <= d) break;
    distance[base + position] = distance[base + child] as number;
    index[base + position] = index[base + child] as number;
    position = child;
  }
  distance[base + position] = d;
  index[base + position] = j;
}
