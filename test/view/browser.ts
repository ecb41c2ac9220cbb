import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's chromium, as `.ci/run` installs it: the machine has no internet, so no browser download. */
export const CHROMIUM = '/usr/bin/chromium'

/** A headless chromium with a fresh profile of its own; `close` removes the profile. */
export interface Browser {
  readonly context: BrowserContext
  readonly close: () => Promise<void>
}

/** Starts Debian's chromium headless with a fresh user-data-dir, driven by playwright-core. */
export const startBrowser = async (): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), 'callops-view-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
  })
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
