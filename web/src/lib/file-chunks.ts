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
