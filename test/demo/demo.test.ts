import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/demo/runDemo.js'

describe('the demo', () => {
  it('plays a whole call-center call: ring, answer, menu, key, hold with music, invite, refused second hold, release, refused transfer, hang-up; exit 0', async () => {
    const lines: string[] = []
    const code = await runDemo({ seed: 7, stdout: (l) => lines.push(l), stderr: () => {} })
    const text = lines.join('\n')
    expect(code).toBe(0)
    // In the order the call lives them.
    const steps = [
      /☎ rings the bot: Dana \(customer\) \(phone \+1555010000\)/,
      /▶ The bot hears the call ring \(incoming event\) and answers/,
      /Graph: call incoming → established/,
      /subscribeToTone\s+→ completed/,
      /playPrompt\s+→ completed/,
      /caller pressed tone1/,
      /Dana\s+startHoldMusic\s+→ completed/,
      /inviteParticipants HTTP 200 after 2 attempts \(retried\)/,
      /Heidi\s+joined the call/,
      /Heidi\s+startHoldMusic\s+→ refused\/failed: HoldConflict/,
      /Dana\s+stopHoldMusic\s+→ completed/,
      /transfer → refused\/failed: InvalidRequest/,
      /hangUp → terminated/,
      /call ended/,
    ]
    let at = 0
    for (const step of steps) {
      const found = lines.findIndex((l, i) => i >= at && step.test(l))
      expect(found, `${String(step)} after line ${at}`).toBeGreaterThanOrEqual(at)
      at = found
    }
    expect(text).toMatch(/overlapping holds\s+0/)
    expect(text).toMatch(/answered, hung up\s+1/)
    expect(text).toContain('Every step went as the rules say')
  })

  it('prints the timeline as JSON lines with --json, ending with a summary; key 1 brings the agent in and hangs up, key 2 transfers', async () => {
    const lines: string[] = []
    const code = await runDemo({ seed: 3, json: true, calls: 3, stdout: (l) => lines.push(l), stderr: () => {} })
    expect(code).toBe(0)
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const summary = parsed[parsed.length - 1]?.['summary'] as { outcomes: Record<string, number>; holds: { count: number; overlaps: number }; transferred: number; hungUp: number; problems: unknown[] }
    // Per call: subscribeToTone, playPrompt, the caller's hold and release; key 1 (calls 1 and 3) also the invite (completed) and the agent’s hold refused.
    expect(summary.outcomes).toEqual({ completed: 14, HoldConflict: 2 })
    expect(summary.holds).toEqual({ count: 3, overlaps: 0 })
    expect([summary.transferred, summary.hungUp]).toEqual([1, 2])
    expect(summary.problems).toEqual([])
  })
})
