import { pageDiagram } from './pageDiagram.js'
import { pageScript } from './pageScript.js'

// System fonts only: the page loads nothing from anywhere.
const style = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #6b7480; --line: #d5dae0; --bg: #fff; --panel: #f6f7f9;
  --on: #dff3e4; --on-line: #2e8b57; --cur: #2e8b57; --held: #c0392b; --holding: #e9a23b; --queued: #7f8c9a; --edge: #8a94a0; --taken: #d35400; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7eb; --muted: #9aa3ad; --line: #3a414a; --bg: #15191e; --panel: #1d2228; --on: #1f3b2a; } }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 15px; margin: 0; }
#conn.live { color: var(--cur); } #conn.down { color: var(--held); }
#lost { color: var(--held); }
main { display: grid; grid-template-columns: minmax(420px, 1fr) minmax(520px, 1.3fr); gap: 0; }
section { padding: 8px 16px; border-bottom: 1px solid var(--line); min-width: 0; overflow: auto; }
#callsPanel { border-right: 1px solid var(--line); }
h2 { font-size: 14px; margin: 6px 0; } h3 { font-size: 12px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
tr[data-call], tr[data-actor] { cursor: pointer; }
tr.sel { background: var(--on); } tr.gone { opacity: .5; }
tr.bad .outcome { color: var(--held); } tr.ok .outcome { color: var(--cur); }
.muted { color: var(--muted); }
.phase { padding: 0 5px; border-radius: 8px; color: #fff; font-size: 11px; }
.phase.held { background: var(--held); } .phase.holding, .phase.releasing { background: var(--holding); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
svg.machine { display: block; font-size: 11px; }
svg.machine .st rect { fill: var(--bg); stroke: var(--line); stroke-width: 1.5; }
svg.machine .st.compound > rect { fill: none; }
svg.machine .st.on > rect { stroke: var(--on-line); fill: var(--on); }
svg.machine .st.compound.on > rect { fill: none; }
svg.machine .st.current > rect { stroke: var(--cur); stroke-width: 3; }
svg.machine .st.final > rect { stroke-dasharray: 4 2; }
svg.machine text { fill: var(--fg); }
svg.machine .edge path { fill: none; stroke: var(--edge); stroke-width: 1; }
svg.machine .edge text { fill: var(--muted); font-size: 9px; paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
svg.machine .edge.taken path { stroke: var(--taken); stroke-width: 2.5; }
svg.machine .edge.taken text { fill: var(--taken); font-weight: 600; }
svg.machine .arrowhead { fill: var(--edge); }
svg.machine .initial { fill: var(--fg); }
.anystate { color: var(--muted); font-size: 11px; margin: 2px 0 8px; }
.ops-diagrams { display: flex; flex-wrap: wrap; gap: 12px; }
.ops-diagrams figure { margin: 0; } .ops-diagrams figcaption { font-size: 11px; color: var(--muted); }
.ops-diagrams svg.machine { zoom: .7; }
svg.timeline { font-size: 11px; display: block; }
svg.timeline .who, svg.timeline .axis { fill: var(--fg); } svg.timeline .axis { fill: var(--muted); }
svg.timeline .lane { stroke: var(--line); }
svg.timeline .holding { fill: var(--holding); } svg.timeline .held { fill: var(--held); }
svg.timeline .queued { fill: none; stroke: var(--queued); stroke-dasharray: 3 2; }
svg.timeline .refused path { stroke: var(--held); stroke-width: 2.5; }
ul.holds { margin: 4px 0; padding-left: 18px; } .hold-refused { color: var(--held); }
#logPanel, #actorsPanel { grid-column: 1 / -1; }
.logbar { display: flex; gap: 8px; align-items: center; margin-bottom: 4px; }
.logbar input[type=search] { width: 280px; }
#log { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
#log li { white-space: pre-wrap; word-break: break-all; border-bottom: 1px dotted var(--line); }
#log li.xstate { color: var(--muted); }
#actors { max-height: 260px; overflow: auto; }
`

const body = `
<header><h1>callops live view</h1><span id="conn" class="down">connecting…</span><span id="stats" class="muted"></span><span id="lost"></span></header>
<main>
  <section id="callsPanel"><h2>Calls</h2><div id="calls"></div></section>
  <section id="detailPanel"><div id="detail"></div></section>
  <section id="logPanel"><h2>Event log</h2>
    <div class="logbar"><input id="filter" type="search" placeholder="filter (text)" aria-label="filter the event log">
      <select id="kind" aria-label="which events"><option value="all">all events</option><option value="calls">orchestrator</option><option value="xstate">XState inspection</option></select>
      <label><input id="mine" type="checkbox"> selected call only</label></div>
    <ol id="log"></ol></section>
  <section id="actorsPanel"><h2>Actors (XState inspection)</h2><div id="actors"></div><div id="actorDiagram"></div></section>
</main>
`

/**
 * The live view's page, every byte of it: markup, style and script inline under `nonce` (the
 * Content-Security-Policy the handler sends allows nothing else), so it works with no internet.
 */
export const liveViewPage = (nonce: string): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>callops live view</title>
<style nonce="${nonce}">${style}</style></head>
<body>${body}<script nonce="${nonce}">${pageDiagram}\n${pageScript}</script></body></html>
`
