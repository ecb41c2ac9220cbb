/** Minimum, median and maximum of a set of runs. */
export interface Spread {
  readonly min: number
  readonly median: number
  readonly max: number
}

/** The value below which `p` (0–1) of `sorted` lies (nearest rank); `NaN` when empty. */
export const percentile = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

/** Min/median/max of `values` (the median of an even count is the mean of the middle two). */
export const spread = (values: readonly number[]): Spread => {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN }
  const mid = s.length >> 1
  const median = s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
  return { min: s[0] ?? Number.NaN, median, max: s[s.length - 1] ?? Number.NaN }
}

/** Sorts a Float64Array of samples in place and returns it. */
export const sorted = (samples: Float64Array): Float64Array => samples.sort()

/** CPU microseconds (user + system) this process used since `since`. */
export const cpuSince = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since)
  return d.user + d.system
}
