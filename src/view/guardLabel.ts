/**
 * A readable guard: its name, `name(params)`, or `and`/`or`/`not` of those spelled out
 * (`machine.toJSON()` drops the combinators), for diagrams.
 */
export const guardLabel = (guard: unknown): string => {
  if (typeof guard === 'string') return guard
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') {
    const params = 'params' in guard && typeof guard.params === 'object' && guard.params !== null ? `(${Object.values(guard.params).map(String).join(', ')})` : ''
    return `${guard.type}${params}`
  }
  if (typeof guard === 'function') {
    const parts = 'guards' in guard && Array.isArray(guard.guards) ? guard.guards.map(guardLabel) : []
    const kind = 'check' in guard && typeof guard.check === 'function' ? guard.check.name : guard.name
    if (kind === 'checkNot') return `!${parts.map((p) => (/[ &|]/.test(p) ? `(${p})` : p)).join('')}`
    if (kind === 'checkAnd') return parts.map((p) => (p.includes('||') ? `(${p})` : p)).join(' && ')
    if (kind === 'checkOr') return parts.join(' || ')
    return guard.name === '' ? 'inline' : guard.name
  }
  return 'inline'
}

