// How a refused option value is shown in a message: short, and never a whole object's contents
// (an options object can hold secrets and functions, which JSON would drop silently).

const MAX_STRING = 40
const MAX_KEYS = 6
const MAX_ITEMS = 4

const article = (name: string): string => (/^[aeiou]/i.test(name) ? 'an' : 'a')

const describeString = (s: string): string =>
  JSON.stringify(s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s)

const describeObject = (o: object): string => {
  const proto: unknown = Object.getPrototypeOf(o)
  if (proto !== Object.prototype && proto !== null) {
    const name = (o as { constructor?: { name?: unknown } }).constructor?.name
    if (typeof name === 'string' && name !== '') return `${article(name)} ${name}`
  }
  const keys = Object.keys(o)
  if (keys.length === 0) return '{}'
  const shown = keys.slice(0, MAX_KEYS).map((k) => describeString(k).slice(1, -1))
  return `{ ${shown.join(', ')}${keys.length > MAX_KEYS ? ', …' : ''} }`
}

/**
 * Describes `value` for an option's error message: strings quoted and cut at 40 characters,
 * numbers as written (`NaN`, `1.5`), functions as `a function`, arrays by their first items, plain
 * objects by their keys (`{ graph, holdPolicy }`), other objects by their class (`a Map`).
 *
 * @example
 * ```ts
 * describeValue('bogus') // '"bogus"'
 * describeValue({ getToken: async () => 't' }) // '{ getToken }'
 * ```
 */
export const describeValue = (value: unknown, depth = 0): string => {
  switch (typeof value) {
    case 'string':
      return describeString(value)
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(value)
    case 'bigint':
      return `${value}n`
    case 'function':
      return 'a function'
    default:
      if (value === null || value === undefined) return String(value)
      if (Array.isArray(value)) {
        if (depth > 0) return `an array of ${value.length}`
        const items = value.slice(0, MAX_ITEMS).map((v: unknown) => describeValue(v, depth + 1))
        return `[${items.join(', ')}${value.length > MAX_ITEMS ? ', …' : ''}]`
      }
      return describeObject(value)
  }
}
