// The benchmarks' seeded inputs. A module of its own, so that importing it loads nothing else (the
// attention memory children must not load the peers that bench/cases.mjs does).

/** mulberry32: a small seeded PRNG giving uniforms in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal(0, sd²) draws (Box-Muller), written straight into a new array of the given type. */
export function normals(Type, length, seed, sd = 1) {
  const u = prng(seed), x = new Type(length);
  for (let i = 0; i < length; i++) x[i] = sd * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return x;
}
