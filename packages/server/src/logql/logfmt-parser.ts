/**
 * The `logfmt` stage's reader, following go-logfmt as Loki uses it:
 * `key=value key2="quoted \"value\"" flag`. A key stands alone without `=`
 * (its value is empty, so it adds no label). By default a malformed pair is
 * skipped and reading goes on; with `--strict` reading stops and the line
 * gets an error.
 */

const isSpace = (c: string): boolean => c <= ' ';

/**
 * Calls `emit` for each pair in order. Returns an error message when
 * `strict` and the line is malformed (pairs before the error are emitted).
 */
export function readLogfmt(line: string, emit: (key: string, value: string) => void, strict: boolean): string | undefined {
  let pos = 0;
  const n = line.length;
  const skipToSpace = (): void => {
    while (pos < n && !isSpace(line[pos])) pos++;
  };
  while (pos < n) {
    while (pos < n && isSpace(line[pos])) pos++;
    if (pos >= n) break;
    const keyStart = pos;
    while (pos < n && !isSpace(line[pos]) && line[pos] !== '=' && line[pos] !== '"') pos++;
    const key = line.slice(keyStart, pos);
    let error: string | undefined;
    if (pos < n && line[pos] === '"') error = `unexpected '"' at offset ${pos}`;
    else if (!key && line[pos] === '=') error = `unexpected '=' at offset ${pos}`;
    if (error) {
      if (strict) return error;
      skipToSpace();
      continue;
    }
    if (pos >= n || line[pos] !== '=') {
      emit(key, '');
      continue;
    }
    pos++;
    if (line[pos] === '"') {
      const start = pos;
      pos++;
      while (pos < n && line[pos] !== '"') pos += line[pos] === '\\' ? 2 : 1;
      if (pos >= n) {
        if (strict) return `unterminated quoted value at offset ${start}`;
        break;
      }
      pos++;
      let value: string | undefined;
      try {
        value = JSON.parse(line.slice(start, pos).replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) as string;
      } catch {
        if (strict) return `invalid escape in quoted value at offset ${start}`;
      }
      if (value !== undefined) emit(key, value);
      continue;
    }
    const valueStart = pos;
    while (pos < n && !isSpace(line[pos]) && line[pos] !== '=' && line[pos] !== '"') pos++;
    if (pos < n && !isSpace(line[pos])) {
      if (strict) return `unexpected '${line[pos]}' at offset ${pos}`;
      skipToSpace();
      continue;
    }
    emit(key, line.slice(valueStart, pos));
  }
  return undefined;
}
