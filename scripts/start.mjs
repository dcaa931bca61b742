// `npm start`: the worked example (logits 2, 1, 0.1 at temperatures 0.5, 1 and 2) through the built
// command line. `npm start -- ARGS` runs the command line with ARGS instead. Builds first if needed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = fileURLToPath(new URL("../dist/esm/cli/main.js", import.meta.url));

function node(args, cwd = root) {
  const { status, error } = spawnSync(process.execPath, args, { cwd, stdio: "inherit" });
  if (error) throw error;
  return status ?? 1;
}

if (!existsSync(cli)) {
  console.error("dist/ is not built yet: building it first (node scripts/build.mjs)");
  const status = node(["scripts/build.mjs"]);
  if (status !== 0) process.exit(status);
}

const args = process.argv.slice(2);
if (args.length > 0) {
  process.exitCode = node([cli, ...args], process.cwd());
} else {
  const notes = { 0.5: "sharper", 1: "plain softmax", 2: "flatter" };
  for (const [i, t] of ["0.5", "1", "2"].entries()) {
    console.log(`${i > 0 ? "\n" : ""}$ softmax -t ${t} 2 1 0.1     # temperature ${t}: ${notes[t]}`);
    const status = node([cli, "-t", t, "2", "1", "0.1"]);
    if (status !== 0) process.exit(status);
  }
}
