// Every example in README.md runs here: in each ```js block, a line followed by `// => value` must
// evaluate to exactly that value, and one followed by `// throws Name: message` must throw it.
// Other lines (declarations) run in the block's scope; import lines are the library itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as library from "../src/index.js";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

interface Check {
  expression: string;
  expected?: string;
  throws?: { name: string; message: string };
}

/** `Float64Array [1, 2]`, as Node prints typed arrays, as an expression. */
const typedArrays = (source: string) => source.replace(/(Float(?:32|64)Array) \[([^\]]*)\]/g, "$1.from([$2])");
const withoutComment = (line: string) => line.replace(/\s*\/\/.*$/, "").replace(/;\s*$/, "");

function compile(block: string): { body: string[]; checks: Check[] } {
  const body: string[] = [];
  const checks: Check[] = [];
  for (const line of block.split("\n")) {
    const expected = line.match(/^\/\/ => (.*)$/);
    const throws = line.match(/^\/\/ throws (\w+): (.*)$/);
    if (expected || throws) {
      const expression = withoutComment(body.pop()!);
      checks.push({ expression, expected: expected?.[1], throws: throws ? { name: throws[1], message: throws[2] } : undefined });
      body.push(`__check(${checks.length - 1}, () => (${expression}));`);
    } else if (line.trim() && !line.startsWith("import ")) {
      body.push(line);
    }
  }
  return { body, checks };
}

describe("README examples", () => {
  test("the README has examples to run", () => expect(blocks.length).toBeGreaterThan(5));

  blocks.forEach((block, b) => {
    const { body, checks } = compile(block);
    test(`block ${b + 1}: ${checks.map((c) => c.expression).join("; ").slice(0, 120)}`, () => {
      const names = Object.keys(library);
      const run = new Function(...names, "__check", body.join("\n"));
      let ran = 0;
      run(...names.map((n) => (library as Record<string, unknown>)[n]), (i: number, evaluate: () => unknown) => {
        const check = checks[i];
        ran++;
        if (check.throws) {
          expect(evaluate).toThrow(check.throws.message);
          try { evaluate(); } catch (e) { expect((e as Error).name).toBe(check.throws.name); }
        } else {
          expect(evaluate()).toEqual(new Function(`return (${typedArrays(check.expected!)});`)());
        }
      });
      expect(ran).toBe(checks.length);
    });
  });
});
