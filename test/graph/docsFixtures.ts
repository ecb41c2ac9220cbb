import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One fixture of `test/fixtures/graph-docs`, a copy of `shared/graph-docs-fixtures` (see its README for the fields). */
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

// A copy of ../shared/graph-docs-fixtures kept in the repository, so a fresh clone has them.
const fixturesDir = (): string => fileURLToPath(new URL('../fixtures/graph-docs/', import.meta.url))

/** Every fixture whose action is one of `actions`, in file order. */
export const docsFixtures = (actions: readonly string[]): DocsFixture[] => {
  const dir = fixturesDir()
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<DocsFixture, 'file'>) }))
    .filter((f) => actions.includes(f.action))
}
