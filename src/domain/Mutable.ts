/**
 * `T` with its own fields writable: for building a readonly value field by field on a hot path,
 * where conditional spreads would make one object per optional field (issue 8).
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }
