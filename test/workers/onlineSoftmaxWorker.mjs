// Worker for test/onlineSoftmax.test.ts: streams the part of a vocabulary it is sent through an
// OnlineSoftmax of the built package, in chunks of the given size, and posts back the state (as
// toJSON gives it and as JSON text) with the values, transferred.
import { parentPort } from "node:worker_threads";
import { OnlineSoftmax } from "../../dist/esm/index.js";

parentPort.once("message", ({ values, chunk }) => {
  const state = new OnlineSoftmax();
  for (let i = 0; i < values.length; i += chunk) state.push(values.subarray(i, i + chunk));
  parentPort.postMessage({ state: state.toJSON(), json: JSON.stringify(state), values }, [values.buffer]);
});
