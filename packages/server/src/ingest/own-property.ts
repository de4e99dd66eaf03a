/**
 * Sets a key on a plain object even when the key is `__proto__`: names come
 * from request bodies, and a plain assignment of that key would replace the
 * object's prototype instead of storing a label.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
