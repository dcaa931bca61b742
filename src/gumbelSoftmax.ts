import { allocate } from "./core/floatArrays.js";
import { readValues } from "./core/input.js";
import { readAxis, readBoolean, readMask, readOptions, readOut, readTemperature, resultArrays } from "./core/options.js";
import { toInputKind } from "./core/output.js";
import { planRows } from "./core/plan.js";
import { readRng } from "./core/rngOption.js";
import type { RandomOptions } from "./createRng.js";
import { activeKernels } from "./kernels/active.js";
import { firstMaxIndex } from "./kernels/js/firstMaxIndex.js";
import type { AxisOptions, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

export interface GumbelSoftmaxOptions extends AxisOptions, RandomOptions {
  /** Return the one-hot of the soft sample's first argmax instead of the sample itself (default false). */
  hard?: boolean;
}

interface GumbelSoftmaxOptionsOut<T extends FloatArray> extends GumbelSoftmaxOptions {
  /** Receives the result (same constructor and length); may be the input itself. */
  out?: T;
}

/** Stands in for a draw of exactly 0: the middle of [0, 2^-53), the first cell of createRng's grid. */
const SMALLEST_DRAW = 2 ** -54;

/** Gumbel(0, 1) noise -log(-log u), finite for every u in [0, 1): within [-6.62, 36.74]. */
function gumbel(u: number): number {
  return -Math.log(-Math.log(u === 0 ? SMALLEST_DRAW : u));
}

/**
 * A Gumbel-softmax (Concrete) sample along `axis`: y = softmax((x + g) / T) with g_i = -log(-log u_i)
 * and u_i uniform from the generator (Jang, Gu & Poole 2017; Maddison, Mnih & Teh 2017). At T = 1 the
 * argmax of y is distributed as softmax(x) (the Gumbel-max trick).
 *
 * ```ts
 * gumbelSoftmax([1, 2, 3], { seed: 42, temperature: 0.5 }); // [0.006442688914540587, 0.09976905970873061, 0.8937882513767288]
 * ```
 *
 * Randomness: one draw per element of x, in row-major order, masked entries included, so the stream
 * (and every other row's sample) does not depend on the mask. `rng` (an object with `next()` or a bare
 * function) or `seed` (for {@link createRng}), not both; with neither, a fresh generator seeded from
 * crypto. A draw of exactly 0 is taken as 2^-54 (the middle of [0, 2^-53), the lowest cell of a
 * 53-bit generator), so the noise is always finite: g lies in [-6.62, 36.74].
 *
 * `temperature` is validated like softmax's: 0 gives the one-hot at the argmax of x + g, Infinity the
 * uniform distribution. `hard: true` gives the one-hot (1 at the first maximum of the soft sample, 0
 * elsewhere) of exactly the soft sample the same seed or generator state would give.
 *
 * Edge cases: masked and -Infinity entries get exactly 0; a row with nothing left is all 0 (also with
 * `hard`), never NaN: finite and -Infinity logits never give NaN. Entries at +Infinity share the row
 * (1/k each; `hard` picks the first); a kept NaN makes its row NaN.
 *
 * Method: the noisy logits x + g (in x's precision) go through the active softmax kernels.
 */
export function gumbelSoftmax(logits: Float32Array, options?: GumbelSoftmaxOptionsOut<Float32Array>): Float32Array;
export function gumbelSoftmax(logits: Float64Array, options?: GumbelSoftmaxOptionsOut<Float64Array>): Float64Array;
export function gumbelSoftmax<T extends FloatArray>(logits: TensorInput<T>, options?: GumbelSoftmaxOptionsOut<T>): Tensor<T>;
export function gumbelSoftmax<X extends NestedInput>(logits: X, options?: GumbelSoftmaxOptions): NestedResult<X>;
export function gumbelSoftmax(logits: unknown, options?: unknown): unknown {
  const fn = "gumbelSoftmax";
  const input = readValues(logits, fn, "logits");
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const temperature = readTemperature(o.temperature, fn);
  const mask = readMask(o.mask, input, fn);
  const hard = readBoolean(o.hard, "hard", fn);
  const draw = readRng(o.rng, o.seed, fn);
  const { out } = resultArrays(readOut(o.out, input, fn), input, input.data.length, fn);

  const x = input.data;
  const noisy = allocate(input.float, x.length); // read in full before out (which may be x) is written
  for (let i = 0; i < x.length; i++) noisy[i] = x[i] + gumbel(draw());
  const plan = planRows(input.shape, axis);
  activeKernels().softmax(noisy, out, plan, { temperature, mask });
  if (hard) oneHotRows(out, plan.outer, plan.n, plan.inner);
  return toInputKind(input, out, input.shape);
}

/** Replaces each row of a soft sample by the one-hot of its first maximum; an all-0 or NaN row stays. */
function oneHotRows(y: FloatArray, outer: number, n: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const off = o * n * inner + i;
      const best = firstMaxIndex(y, off, inner, n, null);
      if (best < 0 || !(y[off + best * inner] > 0)) continue; // empty, nothing kept (all 0), or NaN
      for (let j = 0; j < n; j++) y[off + j * inner] = j === best ? 1 : 0;
    }
  }
}
