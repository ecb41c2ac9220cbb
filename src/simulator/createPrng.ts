/** A small seeded pseudo-random generator: the simulator's only source of chance. */
export interface Prng {
  /** A number in [0, 1). */
  readonly next: () => number
  /** True with probability `p` (no draw is made when `p` is 0 or 1, so zero faults cost nothing). */
  readonly chance: (p: number) => boolean
  /** An integer in [min, max] (no draw when min = max). */
  readonly between: (range: readonly [number, number]) => number
  /** A version-4-shaped GUID, lower case with dashes. */
  readonly guid: () => string
  /** Shuffles `items` in place (Fisher-Yates). */
  readonly shuffle: <T>(items: T[]) => T[]
}

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0')

/**
 * mulberry32: 32 bits of state, fast, good enough for fault injection and reproducible from a seed.
 *
 * @example
 * ```ts
 * const rand = createPrng(42)
 * rand.chance(0.1) // same answer on every run with seed 42
 * ```
 */
export const createPrng = (seed: number): Prng => {
  let a = seed >>> 0
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  const next = (): number => u32() / 4_294_967_296
  return {
    next,
    chance: (p) => (p <= 0 ? false : p >= 1 ? true : next() < p),
    between: ([min, max]) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
    guid: () => {
      const h = hex(u32()) + hex(u32()) + hex(u32()) + hex(u32())
      const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        const x = items[i] as (typeof items)[number]
        items[i] = items[j] as (typeof items)[number]
        items[j] = x
      }
      return items
    },
  }
}

/** Derives a seed for one stream (a call, its notifications) from the simulator's seed and a key (FNV-1a). */
export const deriveSeed = (seed: number, key: string): number => {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}
