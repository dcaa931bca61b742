// The sampling panel's vocabulary: logits shaped like a language model's next-token scores (falling
// with rank like Zipf's law, plus noise), generated from a seeded generator so that every visitor, and
// the browser test, sees the same vocabulary. Pure: it takes the generator, so Node can rebuild it.

export const VOCABULARY_SIZE = 4096;
export const VOCABULARY_SEED = 2024;

export interface UniformSource {
  /** A uniform number in [0, 1). */
  next(): number;
}

export function makeVocabulary(rng: UniformSource, size: number = VOCABULARY_SIZE): Float64Array {
  const logits = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    // Box-Muller: a standard normal from two uniforms (1 - u is in (0, 1], so its log is finite).
    const u = 1 - rng.next(), v = rng.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    logits[i] = 4 - 1.35 * Math.log(i + 1) + 0.6 * normal;
  }
  return logits;
}

/** A token's display name: its index. */
export const tokenName = (index: number): string => `#${index}`;
