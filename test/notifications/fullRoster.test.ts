import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CommsNotification } from '../../src/codecs/CommsNotification.js'
import { decode } from '../../src/codecs/decode.js'
import type { CallNews } from '../../machines/callNews.js'
import type { CallEvent } from '../../machines/callTypes.js'
import { toCallEvents } from '../../src/notifications/toCallEvents.js'
import { right } from '../support/either.js'
import { hold, startCall, type CallHarness } from '../machines/callHarness.js'

// Graph's v1.0 roster notifications are `updated` with the whole participant list, the bot in it
// (graph-call-lifecycle.md §7): a participant missing from one has left. The documented payloads,
// from test/fixtures/graph-docs, through the notification pipeline and into the call machine.

const fixture = (name: string): { readonly value: readonly unknown[] } =>
  (JSON.parse(readFileSync(new URL(`../fixtures/graph-docs/${name}`, import.meta.url), 'utf8')) as { body: { value: unknown[] } }).body

const eventsOf = (name: string): CallEvent[] =>
  fixture(name).value.flatMap((v, i) => right(toCallEvents(right(decode(CommsNotification, v)), i, 0)).map((r) => r.event))

// The commsNotifications page's roster: a user and the bot (an application).
const fullPage = 'contrib-beta-commsNotificationsResource-g1-02-notification.json'
// The mute page's roster lists only the participant that changed.
const mutePage = 'contrib-v1.0-mute-g1-03-notification.json'

const newsOf = (call: CallHarness, from: number): CallNews[] =>
  call.emitted.slice(from).flatMap((e) => (e.type === 'call.news' ? [e.news] : []))

const rosterOf = (events: readonly CallEvent[]) => {
  const r = events.find((e) => e.type === 'roster.updated')
  if (r?.type !== 'roster.updated') throw new Error('no roster in the fixture')
  return r
}

describe('participants left, from full rosters', () => {
  it('a documented roster that lists the bot is a full roster; the mute page’s single participant is not', () => {
    expect(rosterOf(eventsOf(fullPage))).toMatchObject({ full: true })
    expect(rosterOf(eventsOf(mutePage)).full).toBeUndefined()
  })

  it('a participant missing from a later full roster is told participantLeft once, with id and identity; each one joined once', () => {
    const full = rosterOf(eventsOf(fullPage))
    const [user, bot] = full.participants
    if (user === undefined || bot === undefined) throw new Error('the page lists two participants')
    const call = startCall({ kind: 'group' })
    call.send(full, full)
    const joined = newsOf(call, 0).filter((n) => n.type === 'participantJoined')
    expect(joined.map((n) => n.type === 'participantJoined' && n.participant.id)).toEqual([user.id, bot.id])

    const from = call.emitted.length
    const onlyBot = { ...full, participants: [bot] }
    call.send(onlyBot, onlyBot, full)
    const news = newsOf(call, from)
    expect(news.filter((n) => n.type === 'participantLeft')).toEqual([{ type: 'participantLeft', participantId: user.id, identity: user.identity, displayName: 'John' }])
    // Back in the third roster: joined again, once.
    expect(news.filter((n) => n.type === 'participantJoined')).toHaveLength(1)
    expect(Object.keys(call.context().roster).sort()).toEqual([bot.id, user.id].sort())
  })

  it('a roster of changes (the mute page) leaves the others in place', () => {
    const call = startCall({ kind: 'group' })
    call.send(rosterOf(eventsOf(fullPage)))
    const from = call.emitted.length
    call.send(rosterOf(eventsOf(mutePage)))
    expect(newsOf(call, from).filter((n) => n.type === 'participantLeft')).toEqual([])
    expect(Object.keys(call.context().roster)).toHaveLength(3)
  })

  it('a held participant missing from a full roster frees the hold slot, as a deleted entry does', () => {
    const full = rosterOf(eventsOf(fullPage))
    const [user, bot] = full.participants
    if (user === undefined || bot === undefined) throw new Error('the page lists two participants')
    const call = startCall({ kind: 'group' })
    call.send(full, hold('h1', user.id), { type: 'http.accepted', clientContext: 'h1', report: { status: 'completed', resultInfo: { code: 200 }, clientContext: 'h1' } })
    expect(call.state()).toBe('established.hold.held')
    call.send({ ...full, participants: [bot] })
    expect(call.state()).toBe('established.hold.free')
  })
})
