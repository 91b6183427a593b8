/** 4 MiB slices keep memory flat for any file size while keeping the number of reads small. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** Reads a Blob (a dropped File) slice by slice, reporting bytes read so far. */
export async function* fileChunks(
  file: Blob,
  onProgress?: (done: number, total: number) => void,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Uint8Array> {
  onProgress?.(0, file.size);
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const chunk = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    onProgress?.(Math.min(offset + chunkBytes, file.size), file.size);
    yield chunk;
  }
}

/**
 * Files up to this size are read whole by the upload worker: WebCrypto then hashes them in one call, several
 * times faster than the incremental WebAssembly hash a stream needs (BENCHMARKS.md, web portal). The bound
 * keeps the worker's memory to this much plaintext; larger files stream a few MiB at a time.
 */
export const WHOLE_READ_MAX_BYTES = 64 * 1024 * 1024;

/** A file's bytes for encryption: whole up to WHOLE_READ_MAX_BYTES, else slice by slice. */
export async function fileSource(file: Blob, wholeReadMaxBytes = WHOLE_READ_MAX_BYTES): Promise<Uint8Array | AsyncGenerator<Uint8Array>> {
  return file.size <= wholeReadMaxBytes ? new Uint8Array(await file.arrayBuffer()) : fileChunks(file);
}
