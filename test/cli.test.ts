// The command line, run as a user runs it: the built binary (dist/esm/cli/main.js, built by
// `npm test` before vitest starts), with arguments and standard input, checking what it prints and
// its exit status. Expected numbers come from the library itself, computed in this process.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { entmax15, logSoftmax, logSumExp, softmax, sparsemax } from "../src/index.js";

const CLI = fileURLToPath(new URL("../dist/esm/cli/main.js", import.meta.url));

/** Runs `softmax ...args` with `input` on standard input (empty when not given). */
async function run(args: string[], input = "") {
  const child = spawn(process.execPath, [CLI, ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdin.on("error", () => {}); // it may exit before reading all of its input
  child.stdin.end(input);
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr };
}

/** The output lines, without the final newline's empty string. */
function lines(text: string): string[] {
  return text.replace(/\n$/, "").split("\n");
}

/** Reads back a json number as the CLI writes it: "Infinity" / "-Infinity" strings, null for NaN. */
function fromJson(value: unknown): number {
  return value === null ? NaN : Number(value);
}

/** True when `printed` is `exact` rounded to `digits` significant digits (half a unit in the last place). */
function closeTo(printed: number, exact: number, digits: number): boolean {
  if (!Number.isFinite(exact) || exact === 0) return printed === exact || (Number.isNaN(printed) && Number.isNaN(exact));
  return Math.abs(printed - exact) <= 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(exact))) - digits + 1) * (1 + 1e-12);
}

/** Column `column` (0-based: i, logit, prob, log prob) of a table's entry lines, as numbers. */
function tableColumn(stdout: string, column: number): number[] {
  return lines(stdout).slice(1).map((line) => Number(line.trim().split(/\s+/)[column]));
}

const x = [2, 1, 0.1];

describe.concurrent("softmax [numbers...]: one row from the arguments", () => {
  test("softmax 2 1 0.1 prints a table with probability, log-probability and a bar per entry", async () => {
    const { status, stdout, stderr } = await run(["2", "1", "0.1"]);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toBe(
      [
        "i  logit     prob  log prob",
        "0      2   0.6590   -0.4170  ██████████████████████████▍",
        "1      1   0.2424    -1.417  █████████▊",
        "2    0.1  0.09857    -2.317  ████",
        "",
      ].join("\n"),
    );
  });

  test("softmax -t 0.5 2 1 0.1 computes on x / 0.5: a sharper distribution, to 4 significant digits", async () => {
    const { status, stdout } = await run(["-t", "0.5", ...x.map(String)]);
    expect(status).toBe(0);
    const probs = tableColumn(stdout, 2);
    const logProbs = tableColumn(stdout, 3);
    softmax(x, { temperature: 0.5 }).forEach((p, i) => expect(closeTo(probs[i], p, 4)).toBe(true));
    logSoftmax(x, { temperature: 0.5 }).forEach((p, i) => expect(closeTo(logProbs[i], p, 4)).toBe(true));
    expect(probs[0]).toBeGreaterThan(softmax(x)[0]);
  });

  test("-t 2, -t2, --temperature 2 and --temperature=2 are the same option", async () => {
    const expected = (await run(["--format", "json", "-t", "2", "2", "1", "0.1"])).stdout;
    expect(JSON.parse(expected)).toEqual(softmax(x, { temperature: 2 }));
    for (const form of [["-t2"], ["--temperature", "2"], ["--temperature=2"]]) {
      expect((await run(["--format", "json", ...form, "2", "1", "0.1"])).stdout).toBe(expected);
    }
  });

  test("-t 0 gives the argmax limit and -t inf the uniform one", async () => {
    expect(JSON.parse((await run(["--format", "json", "-t", "0", "1", "3", "3"])).stdout)).toEqual([0, 0.5, 0.5]);
    expect(JSON.parse((await run(["--format", "json", "-t", "inf", "1", "2", "3", "4"])).stdout)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  test("softmax -1 2 -3.5 reads negative numbers as numbers, not as options", async () => {
    const { status, stdout, stderr } = await run(["--format", "json", "-1", "2", "-3.5"]);
    expect([status, stderr]).toEqual([0, ""]);
    expect(JSON.parse(stdout)).toEqual(softmax([-1, 2, -3.5]));
  });

  test("softmax -t 0.5 -- -1 2 reads everything after -- as numbers", async () => {
    const { status, stdout } = await run(["--format", "csv", "-t", "0.5", "--", "-1", "2"]);
    expect(status).toBe(0);
    expect(stdout).toBe(softmax([-1, 2], { temperature: 0.5 }).join(",") + "\n");
  });

  test("inf, -inf, Infinity and nan, in any case, are numbers with the library's edge semantics", async () => {
    expect(JSON.parse((await run(["--format", "json", "inf", "1", "INFINITY"])).stdout)).toEqual([0.5, 0, 0.5]);
    expect(JSON.parse((await run(["--format", "json", "-inf", "0", "-Infinity"])).stdout)).toEqual([0, 1, 0]);
    expect((await run(["--format", "json", "NaN", "1"])).stdout).toBe("[null,null]\n");
    expect((await run(["--format", "csv", "nan", "1"])).stdout).toBe("NaN,NaN\n");
  });

  test("softmax 0 -69 prints the probability 1.081e-30 in exponent form, not as 0.0000", async () => {
    const [, first, second] = lines((await run(["0", "-69"])).stdout);
    expect(second.trim().split(/\s+/).slice(0, 4)).toEqual(["1", "-69", "1.081e-30", "-69.00"]);
    expect(first.trim().split(/\s+/).slice(0, 4)).toEqual(["0", "0", "1.000", "-1.081e-30"]);
  });

  test("softmax --lse 2 1 0.1 prints logsumexp = X", async () => {
    const { status, stdout } = await run(["--lse", "2", "1", "0.1"]);
    expect(status).toBe(0);
    expect(stdout).toBe(`logsumexp = ${logSumExp(x)}\n`);
  });

  test("softmax --lse 1000 1001 1002 prints every digit of the log-sum-exp, not 4 significant ones", async () => {
    const { stdout } = await run(["--lse", "1000", "1001", "1002"]);
    const printed = stdout.match(/^logsumexp = (\S+)\n$/)![1];
    expect(printed.replace(/[.-]/g, "").length).toBeGreaterThan(12);
    expect(Math.abs(Number(printed) - (1002 + Math.log1p(Math.exp(-1) + Math.exp(-2))))).toBeLessThan(1e-12);
  });

  test("--precision 2 sets the table's significant digits", async () => {
    expect(tableColumn((await run(["--precision", "2", "2", "1", "0.1"])).stdout, 2)).toEqual([0.66, 0.24, 0.099]);
  });
});

describe.concurrent("--format json and csv", () => {
  const logits = [3.25, -1e-9, 1000, 999.5, -700, 0];

  test("--format json prints an array of probabilities that reads back as the library's own result", async () => {
    expect(JSON.parse((await run(["--format", "json", ...logits.map(String)])).stdout)).toEqual(softmax(logits));
  });

  test("--format csv prints one line of probabilities that reads back as the library's own result", async () => {
    const { stdout } = await run(["--format", "csv", ...logits.map(String)]);
    expect(lines(stdout)).toHaveLength(1);
    expect(stdout.trim().split(",").map(Number)).toEqual(softmax(logits));
  });

  test("--log prints log-probabilities, exactly the library's", async () => {
    expect(JSON.parse((await run(["--log", "--format", "json", ...logits.map(String)])).stdout)).toEqual(logSoftmax(logits));
    expect((await run(["--log", "--format", "csv", ...logits.map(String)])).stdout.trim().split(",").map(Number)).toEqual(logSoftmax(logits));
  });

  test("--lse prints one number per row, exactly the library's", async () => {
    expect(JSON.parse((await run(["--lse", "--format", "json", ...logits.map(String)])).stdout)).toBe(logSumExp(logits));
    expect(Number((await run(["--lse", "--format", "csv", "-t", "3", ...logits.map(String)])).stdout)).toBe(logSumExp(logits, { temperature: 3 }));
  });

  test("--precision 3 rounds json and csv values to 3 significant digits", async () => {
    const json = JSON.parse((await run(["--precision", "3", "--format", "json", "--log", ...logits.map(String)])).stdout) as number[];
    const csv = (await run(["--precision", "3", "--format", "csv", ...logits.map(String)])).stdout.trim().split(",").map(Number);
    logSoftmax(logits).forEach((v, i) => expect(closeTo(json[i], v, 3), `log-prob ${i}: ${json[i]} vs ${v}`).toBe(true));
    softmax(logits).forEach((v, i) => expect(closeTo(csv[i], v, 3), `prob ${i}: ${csv[i]} vs ${v}`).toBe(true));
    expect([...json, ...csv].every((v) => Number(v.toPrecision(3)) === v)).toBe(true);
  });
});

describe.concurrent("--mask", () => {
  test("--mask 1,0,1 gives the masked entry probability 0 and log-probability -Infinity (\"-Infinity\" in json)", async () => {
    const mask = [true, false, true];
    expect(JSON.parse((await run(["--mask", "1,0,1", "--format", "json", "2", "1", "0.1"])).stdout)).toEqual(softmax(x, { mask }));
    const json = (await run(["--mask", "1,0,1", "--format", "json", "--log", "2", "1", "0.1"])).stdout;
    expect(JSON.parse(json).map(fromJson)).toEqual(logSoftmax(x, { mask }));
    expect(json).toContain('"-Infinity"');
    expect((await run(["--mask", "1,0,1", "--format", "csv", "--log", "2", "1", "0.1"])).stdout).toBe(logSoftmax(x, { mask }).join(",") + "\n");
    const table = lines((await run(["--mask", "1,0,1", "2", "1", "0.1"])).stdout);
    expect(table[2].trim().split(/\s+/)).toEqual(["1", "1", "0.000", "-Infinity"]);
  });

  test("--mask takes true/false as well as 0/1, separated by commas and/or spaces", async () => {
    const expected = (await run(["--mask", "1,0,1", "--format", "csv", "2", "1", "0.1"])).stdout;
    for (const list of ["true,false,true", "1 0 1", "TRUE, false , 1"]) {
      expect((await run(["--mask", list, "--format", "csv", "2", "1", "0.1"])).stdout).toBe(expected);
    }
  });

  test("--mask 0,0 leaves nothing: probabilities 0 (never NaN), logsumexp -Infinity", async () => {
    expect((await run(["--mask", "0,0", "--format", "csv", "1", "2"])).stdout).toBe("0,0\n");
    expect((await run(["--mask", "0,0", "--lse", "--format", "json", "1", "2"])).stdout).toBe('"-Infinity"\n');
  });

  test("--mask applies to every row read from standard input, and a row of another length exits 2 naming its line", async () => {
    const { status, stdout, stderr } = await run(["--mask", "0,1", "--format", "csv"], "1,2\n5,3\n1,2,3\n4,4\n");
    expect(status).toBe(2);
    expect(lines(stdout)).toEqual([softmax([1, 2], { mask: [0, 1] }).join(","), softmax([5, 3], { mask: [0, 1] }).join(",")]);
    expect(stderr).toBe("softmax: line 3 has 3 numbers but --mask has 2 entries\n");
  });

  test("--mask with as many entries as the numbers given as arguments, or it exits 2", async () => {
    const { status, stderr } = await run(["--mask", "1,0", "1", "2", "3"]);
    expect(status).toBe(2);
    expect(stderr).toBe("softmax: the arguments give 3 numbers but --mask has 2 entries\n");
  });
});

describe.concurrent("softmax with no numbers: rows from standard input", () => {
  const input = "1,2,3\n4 5 6\n[7, 8.5, -9]\n\n  1, 2\t3  \n-1e3,1e3\n";
  const rows = [[1, 2, 3], [4, 5, 6], [7, 8.5, -9], [], [1, 2, 3], [-1000, 1000]];

  test("reads one row per line: commas, spaces or a JSON array; a blank line is an empty row and an empty output line", async () => {
    const { status, stdout, stderr } = await run(["--format", "csv"], input);
    expect([status, stderr]).toEqual([0, ""]);
    expect(lines(stdout)).toEqual(rows.map((row) => softmax(row).join(",")));
    expect(lines(stdout)[3]).toBe("");
  });

  test("--format json prints one JSON value per row (JSON Lines); an empty row is [] and its --lse \"-Infinity\"", async () => {
    const json = lines((await run(["--format", "json", "-t", "0.7"], input)).stdout).map((line) => JSON.parse(line));
    expect(json).toEqual(rows.map((row) => softmax(row, { temperature: 0.7 })));
    const lse = lines((await run(["--format", "json", "--lse"], input)).stdout).map((line) => fromJson(JSON.parse(line)));
    expect(lse).toEqual(rows.map((row) => logSumExp(row)));
    expect(lse[3]).toBe(-Infinity);
  });

  test("the table heads each row read from standard input \"row N\" (its line number) and sets rows apart by a blank line", async () => {
    const { stdout } = await run([], "1,2\n\n3\n");
    expect(stdout).toBe(
      [
        "row 1",
        "i  logit    prob  log prob",
        "0      1  0.2689    -1.313  ██████████▊",
        "1      2  0.7311   -0.3133  █████████████████████████████▎",
        "",
        "row 2",
        "(empty row)",
        "",
        "row 3",
        "i  logit   prob  log prob",
        "0      3  1.000     0.000  ████████████████████████████████████████",
        "",
      ].join("\n"),
    );
  });

  test("--lse in the table prints \"row N: logsumexp = X\" per row", async () => {
    expect((await run(["--lse"], "1,2\n\n")).stdout).toBe(`row 1: logsumexp = ${logSumExp([1, 2])}\nrow 2: logsumexp = -Infinity\n`);
  });

  test("JSON input rows take null, \"Infinity\" and \"-Infinity\" as json output writes them: output reads back in", async () => {
    const logProbs = (await run(["--format", "json", "--log", "--mask", "1,0,1"], "2,1,0.1\n")).stdout;
    const again = await run(["--format", "json"], logProbs);
    expect([again.status, again.stderr]).toEqual([0, ""]);
    expect(JSON.parse(again.stdout)).toEqual(softmax(logSoftmax(x, { mask: [1, 0, 1] })));
    expect(JSON.parse((await run(["--format", "json"], '[null, 1]\n["Infinity", 1]\n')).stdout.split("\n")[1])).toEqual([1, 0]);
  });

  test("Windows line endings (CRLF) read like LF", async () => {
    expect((await run(["--format", "csv"], "1,2\r\n3 4\r\n")).stdout).toBe(`${softmax([1, 2]).join(",")}\n${softmax([3, 4]).join(",")}\n`);
  });

  // `script` (util-linux) runs the command on a terminal: there it says how to end the input.
  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).stdout?.includes("util-linux") ?? false;
  test.runIf(hasScript)(
    "on a terminal it hints on stderr that it reads standard input until Ctrl-D, and keeps reading",
    async () => {
      const child = spawn("script", ["-qec", `"${process.execPath}" "${CLI}" --format csv`, "/dev/null"]);
      let screen = "";
      child.stdout.setEncoding("utf8").on("data", (text: string) => (screen += text));
      child.stdin.write("1 2\n\u0004"); // a line, then Ctrl-D; stdin stays open until it exits
      const [status] = await once(child, "close");
      child.stdin.destroy();
      expect(status).toBe(0);
      expect(screen).toContain("softmax: reading rows from standard input; Ctrl-D ends");
      expect(screen).toContain(softmax([1, 2]).join(","));
    },
    10_000,
  );

  test("empty standard input prints nothing and exits 0", async () => {
    expect(await run([], "")).toEqual({ status: 0, stdout: "", stderr: "" });
  });
});

describe.concurrent("errors: one line on stderr, exit status 2, never a stack trace", () => {
  test("a bad input line exits 2 naming its line and column; the rows before it stay printed", async () => {
    const { status, stdout, stderr } = await run(["--format", "csv"], "1 2\n3,4\n1, 2 abc 4\n5 6\n");
    expect(status).toBe(2);
    expect(lines(stdout)).toEqual([softmax([1, 2]).join(","), softmax([3, 4]).join(",")]);
    expect(stderr).toBe('softmax: line 3, column 6: expected a number, got "abc"\n');
  });

  test.each([
    ["1,,2", 'column 3: expected a number, got an empty field'],
    [",1", "column 1: expected a number, got an empty field"],
    ["1,2,", "column 5: expected a number, got the end of the line"],
    ["1 2]", 'column 3: expected a number, got "2]"'],
    ["1 0x10", 'column 3: expected a number, got "0x10"'],
    ["  [1, 2", 'column 8: expected "," or "]", got the end of the line'],
    ["[1, x]", 'column 5: expected a number, got "x"'],
    ["[1 2]", 'column 4: expected "," or "]", got "2"'],
    ["[1,]", 'column 4: expected a number, got "]"'],
    ["[[1]]", 'column 2: expected a number, got "["'],
    ["[1] 2", 'column 5: expected the end of the line after "]", got "2"'],
    ['["abc"]', 'column 2: expected a number, got the string "abc"'],
  ])("the bad line %j is reported as line 2, %s", async (line, message) => {
    const { status, stderr } = await run(["--format", "csv"], `1\n${line}\n3\n`);
    expect(status).toBe(2);
    expect(stderr).toBe(`softmax: line 2, ${message}\n`);
  });

  test.each([
    [["--sparsemax=1", "1", "2"], "softmax: --sparsemax takes no value"],
    [["--sparse", "1"], "softmax: unknown option --sparse (see softmax --help)"],
    [["-x", "1"], "softmax: unknown option -x (see softmax --help)"],
    [["-t", "-1", "1", "2"], 'softmax: --temperature must be a number >= 0 (0 and inf give the limits), got "-1"'],
    [["--temperature=abc", "1"], 'softmax: --temperature must be a number >= 0 (0 and inf give the limits), got "abc"'],
    [["-t", "nan", "1"], 'softmax: --temperature must be a number >= 0 (0 and inf give the limits), got "nan"'],
    [["-t"], "softmax: --temperature needs a value"],
    [["1", "--mask"], "softmax: --mask needs a value"],
    [["--precision", "0", "1"], 'softmax: --precision must be an integer from 1 to 17, got "0"'],
    [["--precision", "18", "1"], 'softmax: --precision must be an integer from 1 to 17, got "18"'],
    [["--precision", "2.5", "1"], 'softmax: --precision must be an integer from 1 to 17, got "2.5"'],
    [["--format", "xml", "1"], 'softmax: --format must be table, json or csv, got "xml"'],
    [["--mask", "1,2", "1", "2"], 'softmax: --mask entries must be 0, 1, true or false, got "2"'],
    [["--mask", "1,,0", "1", "2"], 'softmax: --mask entries must be 0, 1, true or false, got ""'],
    [["--log", "--lse", "1"], "softmax: --log and --lse cannot be used together"],
    [["--sparsemax", "--log", "1"], "softmax: --log and --sparsemax cannot be used together"],
    [["--entmax15", "--lse", "--sparsemax", "1"], "softmax: --lse, --sparsemax and --entmax15 cannot be used together"],
    [["--log=yes", "1"], "softmax: --log takes no value"],
    [["1", "abc", "2"], 'softmax: argument 2: expected a number, got "abc"'],
    [["-t", "2", "--", "1", "--2"], 'softmax: argument 5: expected a number, got "--2"'],
  ])("softmax %j exits 2 with one line naming the argument", async (args, message) => {
    const { status, stdout, stderr } = await run(args);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(message + "\n");
  });
});

describe.concurrent("--sparsemax and --entmax15", () => {
  test("softmax --sparsemax 1.5 1 0.1 prints the table without a log-probability column: 0.75, 0.25 and 0", async () => {
    const { status, stdout, stderr } = await run(["--sparsemax", "1.5", "1", "0.1"]);
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toBe(
      [
        "i  logit    prob",
        "0    1.5  0.7500  ██████████████████████████████",
        "1      1  0.2500  ██████████",
        "2    0.1   0.000",
        "",
      ].join("\n"),
    );
  });

  test("json and csv print exactly the library's sparsemax and entmax15, with temperature and mask", async () => {
    const row = [2, 1, 0.1, -0.5, 1.7];
    const args = row.map(String);
    expect(JSON.parse((await run(["--sparsemax", "--format", "json", ...args])).stdout)).toEqual(sparsemax(row));
    expect(JSON.parse((await run(["--entmax15", "--format", "json", ...args])).stdout)).toEqual(entmax15(row));
    const options = { temperature: 3, mask: [true, true, false, true, true] };
    const csv = (await run(["--entmax15", "-t", "3", "--mask", "1,1,0,1,1", "--format", "csv", ...args])).stdout;
    expect(csv.trim().split(",").map(Number)).toEqual(entmax15(row, options));
    const json = (await run(["--sparsemax", "-t", "3", "--mask", "1,1,0,1,1", "--format", "json", ...args])).stdout;
    expect(JSON.parse(json)).toEqual(sparsemax(row, options));
  });

  test("rows from standard input: one sparse distribution per line", async () => {
    const rows = [[1, 2, 3], [0, 0], [5, -1, 4.5, 4.9]];
    const { status, stdout } = await run(["--sparsemax", "--format", "json"], rows.map((r) => r.join(",")).join("\n") + "\n");
    expect(status).toBe(0);
    expect(lines(stdout).map((line) => JSON.parse(line))).toEqual(rows.map((r) => sparsemax(r)));
  });
});

describe.concurrent("--help and --version", () => {
  test("--help (and -h) prints the usage, naming every option, to stdout and exits 0", async () => {
    const { status, stdout, stderr } = await run(["--help"]);
    expect([status, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^Usage: softmax \[options\] \[numbers\.\.\.\]\n/);
    for (const option of ["-t, --temperature", "--log", "--lse", "--sparsemax", "--entmax15", "--mask", "--format", "--precision", "-h, --help", "-v, --version"]) {
      expect(stdout).toContain(option);
    }
    expect((await run(["-h"])).stdout).toBe(stdout);
    expect((await run(["1", "2", "--help"])).stdout).toBe(stdout);
  });

  test("--version (and -v) prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await run(["--version"])).toEqual({ status: 0, stdout: version + "\n", stderr: "" });
    expect((await run(["-v"])).stdout).toBe(version + "\n");
  });
});

describe("streaming", () => {
  /** Spawns the CLI; counts its output lines and keeps the first; collects stderr. */
  function spawnCli(nodeArgs: string[], args: string[], pauseMs = 0) {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args]);
    const result = { lines: 0, first: "", stderr: "", exit: once(child, "close") as Promise<[number | null, string | null]> };
    let head = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (!result.first && pauseMs > 0) {
        child.stdout.pause(); // a slow reader: the CLI must wait for it, not pile output up in memory
        setTimeout(() => child.stdout.resume(), pauseMs);
      }
      if (!result.first) {
        head += chunk.toString();
        if (head.includes("\n")) result.first = head.slice(0, head.indexOf("\n"));
      }
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) result.lines++;
    });
    child.stderr.on("data", (chunk: Buffer) => (result.stderr += chunk));
    child.stdin.on("error", () => {}); // it may exit while we still write
    return { child, result };
  }

  /** Writes `block` `times` times with backpressure, stopping early if the child exits. */
  async function feed(child: ReturnType<typeof spawn>, block: string, times: number) {
    let exited = false;
    const exit = once(child, "exit").then(() => (exited = true));
    for (let i = 0; i < times && !exited; i++) {
      if (!child.stdin!.write(block)) await Promise.race([once(child.stdin!, "drain").catch(() => {}), exit]);
    }
    child.stdin!.end();
  }

  test("a reader that closes early (softmax ... | head) ends it quietly: status 0, nothing on stderr", async () => {
    const { child, result } = spawnCli([], ["--format", "csv"]);
    void feed(child, "1,2,3\n".repeat(10_000), 1_000);
    await once(child.stdout, "data");
    child.stdout.destroy();
    const [status] = await result.exit;
    expect(status).toBe(0);
    expect(result.stderr).toBe("");
  });

  test("streams in constant memory: 150 MB of rows through a 48 MB heap, to a reader that stalls for 3 s, print one line per row", async () => {
    // A version that read all of its input before printing, or that wrote without waiting for
    // 'drain' while the reader stalls, dies here of heap exhaustion (tried once, on purpose).
    // 2,000 distinct rows of 8 full-precision numbers (~150 bytes a row), sent ~500 times.
    const rows = Array.from({ length: 2000 }, (_, r) =>
      Array.from({ length: 8 }, (_, j) => (((r * 7919 + j * 104729) % 200001) - 100000) / 7777.123),
    );
    const block = rows.map((row) => row.join(",")).join("\n") + "\n";
    const times = Math.ceil(150e6 / block.length);
    const { child, result } = spawnCli(["--max-old-space-size=48"], ["--format", "csv"], 3000);
    await feed(child, block, times);
    const [status] = await result.exit;
    expect(result.stderr).toBe("");
    expect(status).toBe(0);
    expect(result.lines).toBe(times * rows.length);
    expect(result.first).toBe(softmax(rows[0]).join(","));
  }, 60_000);
});
