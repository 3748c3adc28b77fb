// Keys come from the host (interface names, ethtool keys, sysctl names), so they can be
// `__proto__` or `constructor`. Plain `obj[key] = v` on `__proto__` changes the prototype instead
// of storing a value, and `obj[key] !== undefined` is true for `constructor`. These helpers only
// ever touch own properties.
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function hasOwn(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}
