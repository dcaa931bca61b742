// The one kind of error the command line reports as a usage problem: a bad argument or a bad input
// line. It is printed as one line, "softmax: <message>", and the exit status is 2.

export class UsageError extends Error {
  override name = "UsageError";
}

/** A piece of user text for a message: quoted, and cut short when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + "..." : text);
}
