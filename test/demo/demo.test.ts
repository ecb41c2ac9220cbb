import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/demo/runDemo.js'

describe('the demo', () => {
  it('plays the customer call: hold, refused second hold, release with a queued hold, unmute through a 429; exit 0', async () => {
    const lines: string[] = []
    const code = await runDemo({ seed: 7, stdout: (l) => lines.push(l), stderr: () => {} })
    const text = lines.join('\n')
    expect(code).toBe(0)
    expect(text).toMatch(/Bob\s+startHoldMusic\s+→ refused\/failed: HoldConflict/)
    expect(text).toMatch(/unmute\s+HTTP 200 after 2 attempts \(retried\)/)
    expect(text).toMatch(/overlapping holds\s+0/)
    expect(text).toContain('Every step went as the single-hold rule says.')
  })

  it('prints the timeline as JSON lines with --json, ending with a summary', async () => {
    const lines: string[] = []
    const code = await runDemo({ seed: 3, json: true, calls: 3, stdout: (l) => lines.push(l), stderr: () => {} })
    expect(code).toBe(0)
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const summary = parsed[parsed.length - 1]?.['summary'] as { outcomes: Record<string, number>; holds: { overlaps: number }; problems: unknown[] }
    expect(summary.outcomes).toEqual({ completed: 15, HoldConflict: 3 })
    expect(summary.holds.overlaps).toBe(0)
    expect(summary.problems).toEqual([])
  })
})
