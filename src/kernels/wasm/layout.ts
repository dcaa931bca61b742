// The fixed region of wasm memory that data moves through (about 2.3 MiB in all, however large the
// input). A row that fits a chunk gets the three-pass kernel (one exp an entry); a longer row is
// streamed with the online normaliser, which reads it twice and computes each exp twice. At 128 KiB
// chunks a [1, 128256] float32 row was streamed and took 3.4 ns an entry; at 512 KiB it fits, and takes
// 1.8 (`npm run bench -- --filter wasm`, 2026-11-22). Batches of short rows are as fast either way.
export const CHUNK_BYTES = 524288;
/** Elements of a chunk: float32 and float64. */
export const CHUNK32 = CHUNK_BYTES / 4;
export const CHUNK64 = CHUNK_BYTES / 8;
