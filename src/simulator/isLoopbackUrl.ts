import { isIPv4 } from 'node:net'

/**
 * True when `url` is an http(s) URL whose host is a loopback address (127.0.0.0/8, `localhost`,
 * `[::1]`): the only places the simulator ever posts to.
 *
 * @example
 * ```ts
 * isLoopbackUrl('http://127.0.0.1:3000/callback') // true
 * isLoopbackUrl('https://bot.contoso.com/api/calls') // false
 * ```
 */
export const isLoopbackUrl = (url: string): boolean => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false
  if (parsed.username !== '' || parsed.password !== '') return false
  const host = parsed.hostname.toLowerCase()
  if (host === 'localhost' || host === '[::1]') return true
  return isIPv4(host) && host.startsWith('127.')
}
