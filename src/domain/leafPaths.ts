/** Every leaf path of an XState state value (a parallel state has one per region): `{ a: { b: 'x', c: 'y' } }` → `['a.b.x', 'a.c.y']`; `undefined` for no state value. */
export const leafPaths = (value: unknown, prefix = ''): string[] | undefined => {
  const at = (k: string): string => (prefix === '' ? k : `${prefix}.${k}`)
  if (typeof value === 'string') return [at(value)]
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const entries = Object.entries(value)
  if (entries.length === 0) return prefix === '' ? undefined : [prefix]
  const out: string[] = []
  for (const [k, v] of entries) {
    const inner = leafPaths(v, at(k))
    if (inner === undefined) return undefined
    out.push(...inner)
  }
  return out
}

