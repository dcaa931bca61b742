// Compile-time tests of the published types (dist/esm/index.d.ts), run by `npm test` through tsc:
// the right return kind for each input kind, and a type error for each wrong call.
import { logSoftmax, logSumExp, softmax, type Tensor } from "softmax";
import {
  argmax, attention, createRng, OnlineSoftmax, entmax, filterTopP, gumbelSoftmax, hardmax, sampleCategorical, sampleLogits, sigmoid, sparsemax, sparsemaxVjp,
} from "softmax";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

// same kind out as in
expectType<Equal<ReturnType<typeof softmaxOf32>, Float32Array>>();
function softmaxOf32() { return softmax(new Float32Array(3)); }
const f64 = softmax(new Float64Array(3), { axis: -1, temperature: 0.5, mask: [1, 0, 1] });
expectType<Equal<typeof f64, Float64Array>>();
const nested1 = softmax([1, 2, 3]);
expectType<Equal<typeof nested1, number[]>>();
const nested2 = logSoftmax([[1, 2], [3, 4]]);
expectType<Equal<typeof nested2, number[][]>>();
const readonlyNested = softmax([1, 2] as const);
expectType<Equal<typeof readonlyNested, number[]>>();
const tensor = softmax({ data: new Float32Array(4), shape: [2, 2] });
// the generic tensor overloads keep the exact array type, buffer parameter included (TypeScript >= 5.7)
expectType<Equal<typeof tensor, Tensor<Float32Array<ArrayBuffer>>>>();
const dims = logSoftmax({ data: new Float64Array(4), dims: [2, 2] }, { out: new Float64Array(4) });
expectType<Equal<typeof dims, Tensor<Float64Array<ArrayBuffer>>>>();
const inPlace = softmax(new Float32Array(2), { out: new Float32Array(2) });
expectType<Equal<typeof inPlace, Float32Array>>();

// reductions: a 1-D input gives a number; keepDims keeps the kind; nested loses one level
const lse1 = logSumExp([1, 2, 3]);
expectType<Equal<typeof lse1, number>>();
const lseTyped = logSumExp(new Float32Array(3), { temperature: 2 });
expectType<Equal<typeof lseTyped, number>>();
const lseKept = logSumExp(new Float32Array(3), { keepDims: true });
expectType<Equal<typeof lseKept, Float32Array>>();
const lse2 = logSumExp([[1, 2], [3, 4]], { weights: [[1, 1], [1, 1]] });
expectType<Equal<typeof lse2, number[]>>();
const lse2kept = logSumExp([[1, 2], [3, 4]], { keepDims: true });
expectType<Equal<typeof lse2kept, number[][]>>();
const lseTensor = logSumExp({ data: new Float64Array(4), shape: [2, 2] });
expectType<Equal<typeof lseTensor, Tensor<Float64Array<ArrayBuffer>> | number>>();
const lseTensorKept = logSumExp({ data: new Float64Array(4), shape: [2, 2] }, { keepDims: true });
expectType<Equal<typeof lseTensorKept, Tensor<Float64Array<ArrayBuffer>>>>();

// wrong calls are type errors
// @ts-expect-error a string is not a value kind
softmax("1, 2, 3");
// @ts-expect-error Int8Array is not a float array
softmax(new Int8Array(3));
// @ts-expect-error out must have the input's constructor
softmax(new Float32Array(2), { out: new Float64Array(2) });
// @ts-expect-error out is for typed inputs only
softmax([1, 2], { out: new Float64Array(2) });
// @ts-expect-error temperature is a number
softmax([1, 2], { temperature: "0.5" });
// @ts-expect-error axis is a number
logSoftmax([1, 2], { axis: "0" });
// @ts-expect-error a 1-D reduction is a plain number, which out cannot receive
logSumExp(new Float64Array(2), { out: new Float64Array(1) });
// @ts-expect-error the result of a 1-D reduction is a number, not an array
export const notAnArray: number[] = logSumExp([1, 2]);
// @ts-expect-error softmax of a Float32Array is not a Float64Array
export const wrongKind: Float64Array = softmax(new Float32Array(2));

// keepDims known only at run time gives the union of both answers
declare const keep: boolean;
const lseDynamic = logSumExp([[1, 2]], { keepDims: keep });
expectType<Equal<typeof lseDynamic, number | import("softmax").Values>>();

// sections 6-7: the maps keep the kind; argmax and the samplers give indices
const sparse32 = sparsemax(new Float32Array(3), { temperature: 2 });
expectType<Equal<typeof sparse32, Float32Array>>();
const entNested = entmax([[1, 2], [3, 4]], { alpha: 1.3 });
expectType<Equal<typeof entNested, number[][]>>();
const vjp = sparsemaxVjp([0.5, 0.5], [1, 0]);
expectType<Equal<typeof vjp, number[]>>();
const hard = hardmax(new Float64Array(3));
expectType<Equal<typeof hard, Float64Array>>();
const sig = sigmoid([[0, 1]]);
expectType<Equal<typeof sig, number[][]>>();
const gumbel = gumbelSoftmax(new Float32Array(3), { seed: 1, hard: true });
expectType<Equal<typeof gumbel, Float32Array>>();
const top = filterTopP({ data: new Float32Array(4), shape: [2, 2] }, 0.9);
expectType<Equal<typeof top, Tensor<Float32Array<ArrayBuffer>>>>();
const best = argmax([1, 2, 3]);
expectType<Equal<typeof best, number>>();
const bestRows = argmax([[1, 2], [3, 4]]);
expectType<Equal<typeof bestRows, number[]>>();
const token = sampleLogits(new Float32Array(3), { topK: 2, rng: createRng(1) });
expectType<Equal<typeof token, number>>();
const draw = sampleCategorical([0.5, 0.5], { rng: () => 0.3 });
expectType<Equal<typeof draw, number>>();
// @ts-expect-error entmax needs alpha
entmax([1, 2]);
// @ts-expect-error sampleLogits takes one row, not a nested batch
sampleLogits([[1, 2]]);
// @ts-expect-error hardmax has no temperature
hardmax([1, 2], { temperature: 0.5 });

// section 8: attention keeps query's kind; weights only when asked
const att = attention({ data: new Float32Array(8), shape: [2, 2, 2] }, [[1, 0], [0, 1]], [[1], [2]]);
expectType<Equal<typeof att, { output: Tensor<Float32Array<ArrayBuffer>> }>>();
const attW = attention([[1, 0]], [[1, 0], [0, 1]], [[1], [2]], { causal: true, returnWeights: true });
expectType<Equal<typeof attW, { output: number[][]; weights: number[][] }>>();
// @ts-expect-error no weights unless returnWeights is true
attention([[1, 0]], [[1, 0]], [[1]]).weights;
// OnlineSoftmax: normalize gives a Float64Array, or the out it was given
const stream = new OnlineSoftmax().push([1, 2]).merge(OnlineSoftmax.fromJSON({ max: 3, sum: 1, count: 1 }));
const probs = stream.normalize(new Float32Array([1, 2, 3]));
expectType<Equal<typeof probs, Float64Array>>();
const probs32 = stream.normalize([1, 2, 3], new Float32Array(3));
expectType<Equal<typeof probs32, Float32Array<ArrayBuffer>>>(); // the out given, buffer type included
const state: { max: number; sum: number; count: number } = stream.toJSON();
OnlineSoftmax.fromJSON(state);
// @ts-expect-error logSumExp is read-only
stream.logSumExp = 0;
