const undashed = /^[0-9a-fA-F]{32}$/
const dashed = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * Maps Graph's two spellings of one GUID to one key: 32 hex digits without dashes (any case) become
 * lower-case `8-4-4-4-12`; a dashed GUID becomes lower case; anything else is returned unchanged.
 * Graph's documented notifications use both spellings for the same kind of id.
 *
 * @example
 * ```ts
 * canonicalId('57DAB8B1894C409AB240BD8BEAE78896') // '57dab8b1-894c-409a-b240-bd8beae78896'
 * canonicalId('57DAB8B1-894C-409A-B240-BD8BEAE78896') // '57dab8b1-894c-409a-b240-bd8beae78896'
 * canonicalId('not-a-guid') // 'not-a-guid'
 * ```
 */
export const canonicalId = (id: string): string => {
  if (id.length === 36 && dashed.test(id)) return id.toLowerCase()
  if (id.length === 32 && undashed.test(id)) {
    const s = id.toLowerCase()
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
  }
  return id
}
