import { checkShape, npyBody, npyHeader, type NpyDtype } from './encode-npy.js';
import { createAtomicFileWriter, type WrittenFile } from './write-file-atomic.js';

const BLOCK_VALUES = 1 << 20;

/** Writes a matrix as a .npy file atomically, in blocks, so a large float16 conversion never doubles memory. */
export async function writeNpyFile(path: string, data: Float32Array, shape: readonly number[], dtype: NpyDtype = 'float32'): Promise<WrittenFile> {
  checkShape(data, shape);
  const writer = await createAtomicFileWriter(path);
  try {
    await writer.write(npyHeader(shape, dtype));
    for (let start = 0; start < data.length; start += BLOCK_VALUES) {
      await writer.write(npyBody(data.subarray(start, Math.min(start + BLOCK_VALUES, data.length)), dtype));
    }
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
