import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Whether onnxruntime-node could use CUDA here: 'unknown' when it might (try it), or a sentence
 * saying why it cannot (not Linux x64, or the CUDA provider library was never installed).
 */
export function cudaAvailability(): 'unknown' | (string & {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `CUDA is not supported by onnxruntime-node on ${process.platform}-${process.arch}`;
  try {
    const fromHere = createRequire(import.meta.url);
    const binding = createRequire(fromHere.resolve('@huggingface/transformers')).resolve('onnxruntime-node');
    const library = join(dirname(binding), '..', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so');
    return existsSync(library) ? 'unknown' : 'the CUDA build of onnxruntime-node is not installed (no libonnxruntime_providers_cuda.so)';
  } catch {
    return 'unknown';
  }
}

/** Whether this machine shows an NVIDIA GPU at all (Linux device nodes); without one, 'auto' just means CPU, silently. */
export function nvidiaGpuPresent(): boolean {
  return existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0');
}
