/** A record's own entry: clientContexts and ids are data, so `constructor` or `__proto__` must find nothing. */
export const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined

/**
 * Whether a record has no entry. Most records of operations (joiners, orphans) are empty, and a
 * lookup of a key that came from outside costs a string-table probe (≈ 0.2 µs) where this costs a
 * few nanoseconds; on a record with entries it costs about as much as the lookup, so it guards
 * only the lookups in records that are usually empty.
 */
export const isEmptyRecord = (record: Readonly<Record<string, unknown>>): boolean => {
  for (const _ in record) return false
  return true
}

/** Whether `key` is among the clientContexts that joined another operation (`joiners`' lists), without a list of them. */
export const hasJoined = (joiners: Readonly<Record<string, readonly string[]>>, key: string): boolean => {
  for (const target in joiners) if (own(joiners, target)?.includes(key) === true) return true
  return false
}
