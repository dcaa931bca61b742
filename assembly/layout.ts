// The fixed region of memory every call moves its data through (src/kernels/wasm/layout.ts mirrors
// CHUNK_BYTES). Nothing here allocates: the kernels read IN and MASK and write OUT, RESULTS and FLAGS.
// Each buffer has SLACK bytes after it, because a row's last vector may read (and write) past its end.

export const CHUNK_BYTES: usize = 524288; // src/kernels/wasm/layout.ts says why
/** Rows a call may batch: one per element of a float32 chunk at most. */
export const MAX_ROWS: usize = CHUNK_BYTES / 4;
const SLACK: usize = 64;

/** Input rows, packed: row r of length n starts at element r * n. */
export const IN: usize = memory.data(i32(CHUNK_BYTES + SLACK), 16);
/** Output rows, laid out like IN. */
export const OUT: usize = memory.data(i32(CHUNK_BYTES + SLACK), 16);
/** One byte per element of IN: 0 = left out. */
export const MASK: usize = memory.data(i32(MAX_ROWS + SLACK), 16);
/** One float64 per row: the log-sum-exp results. */
export const RESULTS: usize = memory.data(i32(MAX_ROWS * 8), 16);
/** One byte per row: 1 = the row is an edge case (or cancels) and is the JS kernels' to compute. */
export const FLAGS: usize = memory.data(i32(MAX_ROWS + SLACK), 16);
