/** A record's own entry: clientContexts and ids are data, so `constructor` or `__proto__` must find nothing. */
export const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined
