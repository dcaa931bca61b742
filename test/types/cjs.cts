// The CommonJS types (dist/cjs/index.d.ts) resolve through require() and carry the same overloads.
import softmaxPackage = require("softmax");

const p: Float32Array = softmaxPackage.softmax(new Float32Array([1, 2]));
const lse: number = softmaxPackage.logSumExp([1, 2]);
// @ts-expect-error a number is not a value kind
softmaxPackage.logSoftmax(3);
export { p, lse };
