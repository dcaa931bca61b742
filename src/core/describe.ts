// Short, readable descriptions of values for error messages ("string 'abc'", "Int8Array(4)").

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "string":
      return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value)}`;
    case "bigint":
      return `bigint ${value}n`;
    case "boolean":
    case "symbol":
      return `${typeof value} ${String(value)}`;
    case "function":
      return "a function";
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (ArrayBuffer.isView(value)) {
    const name = (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? "DataView";
    return `${name}(${(value as { length?: number }).length ?? value.byteLength})`;
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== "Object" ? `a ${ctor} object` : "an object";
}

/** `TypeError("softmax: x must be ...; got string 'a'")`. */
export function typeError(fn: string, what: string, value: unknown): TypeError {
  return new TypeError(`${fn}: ${what}; got ${describe(value)}`);
}

/** `RangeError("softmax: axis must be ...; got 3")`. */
export function rangeError(fn: string, what: string, value: unknown): RangeError {
  return new RangeError(`${fn}: ${what}; got ${describe(value)}`);
}
