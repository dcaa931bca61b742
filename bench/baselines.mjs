// The baselines the library is timed against: the naive three-pass loops anyone would write, and
// TensorFlow.js on its pure-JS CPU backend. Rows are laid end to end in x (length-n rows) unless
// the function says otherwise.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

/** Loads tfjs on the CPU backend; prod mode only silences its "install tfjs-node" console notice. */
export async function loadTf() {
  tf.enableProdMode();
  await tf.setBackend("cpu");
  return tf;
}

/** Softmax of each row: max; e = exp(x - max) stored and summed; divide. */
export function naiveSoftmax(x, out, n) {
  for (let off = 0; off < x.length; off += n) {
    const end = off + n;
    let max = -Infinity;
    for (let i = off; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = off; i < end; i++) {
      const e = Math.exp(x[i] - max);
      out[i] = e;
      sum += e;
    }
    for (let i = off; i < end; i++) out[i] /= sum;
  }
}

/** naiveSoftmax of x / T. */
export function naiveSoftmaxT(x, out, n, T) {
  for (let off = 0; off < x.length; off += n) {
    const end = off + n;
    let max = -Infinity;
    for (let i = off; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = off; i < end; i++) {
      const e = Math.exp((x[i] - max) / T);
      out[i] = e;
      sum += e;
    }
    for (let i = off; i < end; i++) out[i] /= sum;
  }
}

/** naiveSoftmax along axis 0 of a row-major [rows, cols] array: each column is a row of stride cols. */
export function naiveSoftmaxAxis0(x, out, rows, cols) {
  const size = rows * cols;
  for (let c = 0; c < cols; c++) {
    let max = -Infinity;
    for (let i = c; i < size; i += cols) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = c; i < size; i += cols) {
      const e = Math.exp(x[i] - max);
      out[i] = e;
      sum += e;
    }
    for (let i = c; i < size; i += cols) out[i] /= sum;
  }
}

/** Log-softmax of each row: max; sum of exp(x - max); x - max - log(sum). */
export function naiveLogSoftmax(x, out, n) {
  for (let off = 0; off < x.length; off += n) {
    const end = off + n;
    let max = -Infinity;
    for (let i = off; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = off; i < end; i++) sum += Math.exp(x[i] - max);
    const logSum = Math.log(sum);
    for (let i = off; i < end; i++) out[i] = x[i] - max - logSum;
  }
}

/** log-sum-exp of each row into out[row]: max + log(sum of exp(x - max)). */
export function naiveLogSumExp(x, out, n) {
  for (let off = 0, r = 0; off < x.length; off += n, r++) {
    const end = off + n;
    let max = -Infinity;
    for (let i = off; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = off; i < end; i++) sum += Math.exp(x[i] - max);
    out[r] = max + Math.log(sum);
  }
}
