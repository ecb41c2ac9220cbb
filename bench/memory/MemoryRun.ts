import * as t from 'io-ts'

/** Heap and RSS per open call after GC (item 3). */
export const MemoryRun = t.type(
  {
    calls: t.number,
    /** Bytes per call with the call known and nothing under way. */
    heapIdleBytesPerCall: t.number,
    rssIdleBytesPerCall: t.number,
    /** Bytes per call with one operation waiting for its completion notification (the caller's promise included). */
    heapInFlightBytesPerCall: t.number,
    rssInFlightBytesPerCall: t.number,
  },
  'MemoryRun',
)
/** Heap and RSS per open call after GC. */
export type MemoryRun = t.TypeOf<typeof MemoryRun>
