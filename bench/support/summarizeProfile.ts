import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decode } from '../../src/codecs/decode.js'

const CallFrame = t.type({ functionName: t.string, url: t.string, lineNumber: t.number })
const ProfileNode = t.intersection([t.type({ id: t.number, callFrame: CallFrame }), t.partial({ children: t.array(t.number) })])
/** The part of a V8 `.cpuprofile` the summary reads. */
const CpuProfile = t.type({ nodes: t.array(ProfileNode), samples: t.array(t.number), timeDeltas: t.array(t.number) })

/** One line of a profile summary: where the time went, in share of the busy (non-idle) time. */
export interface ProfileItem {
  readonly name: string
  /** Share of busy time spent in the item itself. */
  readonly selfShare: number
  /** Share of busy time spent in the item and what it called (functions only; 0 for categories). */
  readonly totalShare: number
}

/** The top items of one profile. */
export interface ProfileSummary {
  readonly file: string
  readonly busyMs: number
  /** Self time by library or part of callops; `totalShare` counts a sample once for each part on its stack. */
  readonly categories: readonly ProfileItem[]
  /** Functions with the most self time. */
  readonly selfTop: readonly ProfileItem[]
  /** Functions with the most inclusive time, from callops's own code (src/, machines/). */
  readonly callopsTotalTop: readonly ProfileItem[]
}

/** Names the library or part of callops a script URL belongs to. */
export const categoryOf = (url: string, functionName: string): string => {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native / V8 builtins'
  const own = /\/(src|machines|bench)\/(.*?)(\.ts|\.js)?$/.exec(url.replace(/^.*\/\.cache\/callops-bench\//, '/'))
  if (own !== null) {
    if (own[1] === 'machines') return 'callops machines/'
    if (own[1] === 'bench') return 'bench driver'
    return `callops src/${own[2]?.split('/')[0] ?? ''}`
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (pkg?.[1] !== undefined) return pkg[1]
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?(?:deps\/)?([^/]+)/.exec(url)
    const part = m?.[1] ?? 'internal'
    return `node:${part.replace(/\.js$/, '').replace(/^_http_.*/, 'http').replace(/^streams?$/, 'stream')}`
  }
  return url
}

const label = (frame: t.TypeOf<typeof CallFrame>): string => {
  const file = frame.url
    .replace(/^.*\/\.cache\/callops-bench\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/(src|machines|bench)\//, '$1/')
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${file}:${frame.lineNumber + 1}`
}

/** Reads a `.cpuprofile` and sums its self and inclusive times. */
export const summarizeProfile = (file: string, top = 15): ProfileSummary => {
  const decoded = decode(CpuProfile, JSON.parse(readFileSync(file, 'utf8')))
  if (E.isLeft(decoded)) throw new Error(`${file} is not a V8 CPU profile: ${decoded.left.message}`)
  const { nodes, samples, timeDeltas } = decoded.right
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0
    self.set(id, (self.get(id) ?? 0) + Math.max(0, timeDeltas[i] ?? 0))
  }
  const parent = new Map<number, number>()
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id)

  let busy = 0
  const categories = new Map<string, number>()
  const selfByFn = new Map<string, number>()
  const totalByFn = new Map<string, number>()
  const totalByCategory = new Map<string, number>()
  // The profiler's own start-up (an inspector call that walks the heap) is not the program's time.
  const profilerOwn = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)?.callFrame.url === 'node:inspector') return true
    return false
  }
  for (const [id, us] of self) {
    const node = byId.get(id)
    if (node === undefined) continue
    const name = node.callFrame.functionName
    if (name === '(idle)' || profilerOwn(id)) continue
    busy += us
    const cat = categoryOf(node.callFrame.url, name)
    categories.set(cat, (categories.get(cat) ?? 0) + us)
    const fn = label(node.callFrame)
    selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + us)
    // Inclusive time: every distinct function and part on the stack gets the sample once (recursion-safe).
    const seen = new Set<string>()
    const seenCategories = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame
      if (frame === undefined) break
      const c = categoryOf(frame.url, frame.functionName)
      if (!seenCategories.has(c)) {
        seenCategories.add(c)
        totalByCategory.set(c, (totalByCategory.get(c) ?? 0) + us)
      }
      const f = label(frame)
      if (seen.has(f)) continue
      seen.add(f)
      totalByFn.set(f, (totalByFn.get(f) ?? 0) + us)
    }
  }
  const share = (us: number): number => (busy === 0 ? 0 : us / busy)
  const sortDesc = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])
  return {
    file,
    busyMs: busy / 1000,
    categories: sortDesc(categories)
      .slice(0, top)
      .map(([name, us]) => ({ name, selfShare: share(us), totalShare: name.startsWith('(') || name === 'native / V8 builtins' ? share(us) : share(totalByCategory.get(name) ?? 0) })),
    selfTop: sortDesc(selfByFn)
      .slice(0, top)
      .map(([name, us]) => ({ name, selfShare: share(us), totalShare: share(totalByFn.get(name) ?? 0) })),
    callopsTotalTop: sortDesc(totalByFn)
      .filter(([name]) => /\s(src|machines)\//.test(name))
      .slice(0, top)
      .map(([name, us]) => ({ name, selfShare: share(selfByFn.get(name) ?? 0), totalShare: share(us) })),
  }
}

/** The summary as aligned text lines. */
export const formatProfile = (s: ProfileSummary): string[] => {
  const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)}%`
  return [
    `profile ${s.file} (${s.busyMs.toFixed(0)} ms busy)`,
    '  time by part (self / with what it called):',
    ...s.categories.map((c) => `    ${pct(c.selfShare)} ${pct(c.totalShare)}  ${c.name}`),
    '  functions by self time (self / inclusive):',
    ...s.selfTop.map((c) => `    ${pct(c.selfShare)} ${pct(c.totalShare)}  ${c.name}`),
    '  callops functions by inclusive time (self / inclusive):',
    ...s.callopsTotalTop.map((c) => `    ${pct(c.selfShare)} ${pct(c.totalShare)}  ${c.name}`),
  ]
}
