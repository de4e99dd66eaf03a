/** Short, safe description of a bad option value for TypeError messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}

export function optionError(option: string, expected: string, got: unknown, cause?: unknown): TypeError {
  const message = `redact option ${option} must be ${expected}, got ${describeValue(got)}`;
  return cause === undefined ? new TypeError(message) : new TypeError(message, { cause });
}
