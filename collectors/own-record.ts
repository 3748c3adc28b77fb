// Keys come from the host (interface names, ethtool keys, sysctl names), so they can be
// `__proto__` or `constructor`. Plain `obj[key] = v` on `__proto__` changes the prototype instead
// of storing a value, and `obj[key] !== undefined` is true for `constructor`. These helpers only
// ever touch own properties.
//
// setOwn assigns plainly for every other key: only `__proto__` is an inherited accessor on a plain
// object (every other inherited property is a writable data property, which assignment shadows
// with an own one). defineProperty for every key cost 5 to 7 times as much, and a snapshot of a
// node with 200 interfaces sets hundreds of thousands of counters.
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key !== '__proto__') {
    record[key] = value;
    return;
  }
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
