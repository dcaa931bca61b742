// Type-level helpers: what nested inputs give back. `number[][]` in, `number[][]` out; a reduction
// removes one level (`number[][]` -> `number[]`, `number[]` -> `number`).

/** The same nesting as X, of mutable number arrays. */
export type NestedResult<X> = X extends readonly (infer E)[] ? (E extends number ? number[] : NestedResult<E>[]) : never;

/** X with one level of nesting reduced away. */
export type NestedReduced<X> = X extends readonly (infer E)[] ? (E extends number ? number : NestedResult<E>) : never;
