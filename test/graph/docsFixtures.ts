import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One fixture of `shared/graph-docs-fixtures` (see its README for the fields). */
export interface DocsFixture {
  readonly file: string
  readonly kind: 'request' | 'response' | 'notification'
  readonly action: string
  readonly apiVersion: string
  readonly group: number
  readonly index: number
  readonly method?: string
  readonly url?: string
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly text: string
  readonly valid: boolean
  readonly body: unknown
  readonly repairedText?: string
}

// The fixtures sit next to the repositories (`../shared` of the main checkout); a worktree is one
// level deeper, so look upwards for them.
const fixturesDir = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'shared', 'graph-docs-fixtures')
    if (existsSync(candidate)) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('shared/graph-docs-fixtures not found above the repository')
    dir = parent
  }
}

/** Every fixture whose action is one of `actions`, in file order. */
export const docsFixtures = (actions: readonly string[]): DocsFixture[] => {
  const dir = fixturesDir()
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<DocsFixture, 'file'>) }))
    .filter((f) => actions.includes(f.action))
}
