// The fixed region of wasm memory that data moves through. Every buffer is CHUNK_BYTES: small enough
// that input, output and mask of a chunk stay in a core's L2 cache (512 KiB here), large enough that
// the per-chunk JS -> wasm call costs nothing measurable. Rows longer than a chunk are streamed.
export const CHUNK_BYTES = 131072;
/** Elements of a chunk: float32 and float64. */
export const CHUNK32 = CHUNK_BYTES / 4;
export const CHUNK64 = CHUNK_BYTES / 8;
