// Every kernel set the package has: the same case tables run against each (STYLE.md).
import { afterAll, beforeAll } from "vitest";
import { activeKernels, useKernels } from "../../src/kernels/active.js";
import type { Kernels } from "../../src/kernels/kernels.js";
import { jsKernels } from "../../src/kernels/js/index.js";

export const kernelSets: Kernels[] = [jsKernels];

/** Makes `kernels` the active set for the enclosing describe block. */
export function withKernels(kernels: Kernels): void {
  let previous: Kernels;
  beforeAll(() => {
    previous = activeKernels();
    useKernels(kernels);
  });
  afterAll(() => useKernels(previous));
}
