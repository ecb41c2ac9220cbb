// The live view page's state and rendering (browser JavaScript, run as is, after pageDiagram). It
// reads the server-sent events of ViewMessage.ts, derives the hold timeline and the operations, and
// redraws at most once per animation frame. Written without template literals (String.raw).

/** Browser code: connects to `<page path>/events` with the page's token and renders the live view. */
export const pageScript = String.raw`
var S = { machines: {}, calls: {}, ops: {}, tl: {}, log: [], actors: {}, stats: null, lost: 0, selected: null, actor: null, connected: false };
var MAX_LOG = 5000, MAX_ACTORS = 2000, MAX_CALLS_SHOWN = 200;
var $ = function (id) { return document.getElementById(id); };
function now() { return Date.now(); }
function short(id) { id = String(id || ''); return id.length > 13 ? id.slice(0, 8) + '\u2026' : id; }
function callOf(id) { return S.calls[id]; }
function nameIn(callId) {
  return function (p) {
    var c = S.calls[callId], r = c && c.view.roster.filter(function (x) { return x.id === p; })[0];
    return r && r.displayName ? r.displayName : short(p);
  };
}
function timeline(id, t) { return S.tl[id] || (S.tl[id] = { first: t, segs: [], queued: {}, refused: [] }); }
function opsOf(id) { return S.ops[id] || (S.ops[id] = { order: [], by: {} }); }
function op(id, cc, t) {
  var o = opsOf(id);
  if (!o.by[cc]) { o.by[cc] = { cc: cc, first: t }; o.order.push(cc); if (o.order.length > 500) delete o.by[o.order.shift()]; }
  return o.by[cc];
}
function log(entry) { S.log.push(entry); if (S.log.length > MAX_LOG) S.log.splice(0, S.log.length - MAX_LOG); }

function onCall(view, t, opened) {
  var id = view.callId, c = S.calls[id], firstSeen = c === undefined && opened === true;
  if (c === undefined) c = S.calls[id] = { view: view, since: t, prev: undefined };
  if (c.view.state !== view.state) c.prev = c.view.state;
  c.view = view; c.updated = t; c.gone = false;
  var tl = timeline(id, t), h = view.hold, open = tl.segs.filter(function (s) { return s.end === undefined; })[0];
  if (h && (!open || open.p !== h.participantId)) {
    if (open) open.end = t;
    tl.segs.push({ p: h.participantId, start: t, heldAt: h.phase === 'held' ? t : undefined, approx: firstSeen });
  } else if (h && open) {
    if (h.phase === 'held' && open.heldAt === undefined) open.heldAt = t;
  } else if (!h && open) open.end = t;
  var waiting = {};
  view.holdQueue.forEach(function (q) {
    waiting[q.clientContext] = true;
    if (!tl.queued[q.clientContext]) tl.queued[q.clientContext] = { p: q.participantId, start: t };
  });
  Object.keys(tl.queued).forEach(function (k) { if (!waiting[k] && tl.queued[k].end === undefined) tl.queued[k].end = t; });
  view.operations.forEach(function (v) {
    var o = op(id, v.clientContext, t);
    o.action = v.action; o.p = v.participantId; o.state = v.state;
  });
  if (S.selected === null) S.selected = id;
}
var FAILED = { Timeout: 'failed.timedOut', Cancelled: 'failed.cancelled', CallEnded: 'failed.callEnded', OperationFailed: 'failed.operationFailed' };
function onEvent(e, t) {
  var text = e.type;
  if (e.type === 'transition') text += ' ' + e.event + ' \u2192 ' + e.state;
  if (e.action) text += ' ' + e.action;
  if (e.callAction) text += ' ' + e.callAction;
  if (e.participantId) text += ' ' + nameIn(e.callId)(e.participantId);
  if (e.clientContext && e.type !== 'transition') {
    var o = op(e.callId, e.clientContext, t);
    if (e.action) o.action = e.action;
    if (e.participantId) o.p = e.participantId;
    // A call action (answer, transfer, hangUp, ...) shows in the same table, settled by the call's state.
    if (e.type === 'callActionRequest') e = Object.assign({}, e, { type: 'request' });
    if (e.type === 'callActionAnswer') e = Object.assign({}, e, { type: 'answer' });
    if (e.type === 'callActionSettled') {
      o.settledAt = t; o.ok = e.ok;
      o.outcome = e.ok ? e.outcome.state : e.error._tag;
      o.state = e.ok ? 'completed' : FAILED[e.error._tag] || 'failed.rejected';
      text += ' ' + o.outcome + (e.ok ? '' : ': ' + e.error.message);
    }
    if (e.type === 'request') { o.requestedAt = t; o.crid = e.clientRequestId; o.state = o.state || 'requested'; }
    if (e.type === 'answer') { o.answeredAt = t; o.http = e.httpStatus; o.attempts = e.attempts; if (e.httpStatus) text += ' HTTP ' + e.httpStatus; }
    if (e.type === 'settled') {
      o.settledAt = t; o.ok = e.ok;
      o.outcome = e.ok ? e.operation.status : e.error._tag;
      // A request Graph accepted (2xx) that then failed ended as Graph said, not as a rejection.
      o.state = e.ok ? 'completed' : FAILED[e.error._tag] || (o.requestedAt === undefined ? undefined : o.http >= 200 && o.http < 300 ? 'failed.operationFailed' : 'failed.rejected');
      text += ' ' + o.outcome + (e.ok ? '' : ': ' + e.error.message);
      if (!e.ok && e.error._tag === 'HoldConflict') timeline(e.callId, t).refused.push({ p: e.error.participantId, by: e.error.heldBy, t: t });
    }
    if (e.type === 'lateOutcome') { o.late = e.operation.status; text += ' late ' + e.operation.status; }
  }
  log({ t: t, kind: 'calls', call: e.callId, text: text });
}
function actor(s, t) {
  var a = S.actors[s];
  if (!a) {
    a = S.actors[s] = { s: s, id: '', first: t, events: 0 };
    var keys = Object.keys(S.actors);
    if (keys.length > MAX_ACTORS) delete S.actors[keys[0]];
  }
  return a;
}
function onMessage(m) {
  switch (m.k) {
    case 'hello':
      m.machines.forEach(function (g) { S.machines[g.id] = g; });
      break;
    case 'machine': S.machines[m.graph.id] = m.graph; break;
    case 'call': onCall(m.call, m.t, m.opened); break;
    case 'gone': if (S.calls[m.callId]) S.calls[m.callId].gone = true; break;
    case 'ev': onEvent(m.e, m.t); break;
    case 'stats': S.stats = m.stats; break;
    case 'lost': S.lost += m.n; break;
    case 'actor': { var a = actor(m.s, m.t); a.id = m.id; a.parent = m.parent; break; }
    case 'snap': {
      var b = actor(m.s, m.t);
      b.id = m.id; if (m.parent) b.parent = m.parent;
      if (b.state !== m.state) b.prev = b.state;
      b.state = m.state; b.status = m.status; if (m.m) b.m = m.m; b.updated = m.t;
      break;
    }
    case 'xev': {
      var x = actor(m.s, m.t);
      x.events++; x.last = m.type;
      log({ t: m.t, kind: 'xstate', s: m.s, text: (x.id || m.s) + ' \u2190 ' + m.type + (m.from && S.actors[m.from] ? ' from ' + S.actors[m.from].id : '') + ' ' + m.body });
      break;
    }
  }
}

// --- rendering
// At most five redraws a second: a burst of events costs the browser (and the machine it shares) little.
var dirty = false, lastRender = 0, RENDER_EVERY_MS = 200;
function touch() {
  if (dirty) return;
  dirty = true;
  setTimeout(function () { requestAnimationFrame(render); }, Math.max(0, lastRender + RENDER_EVERY_MS - now()));
}
function holdCell(c, t) {
  var h = c.view.hold;
  if (!h) return '<span class="muted">free</span>';
  var seg = (S.tl[c.view.callId] || { segs: [] }).segs.filter(function (s) { return s.end === undefined; })[0];
  var since = seg ? (seg.approx ? '\u2265 ' : '') + clock(seg.start) + ' \u00b7 ' + span(t - seg.start) : '';
  return '<b>' + esc(nameIn(c.view.callId)(h.participantId)) + '</b> <span class="phase ' + h.phase + '">' + h.phase + '</span> <span class="muted">' + esc(since) + '</span>';
}
function renderCalls(t) {
  var ids = Object.keys(S.calls).sort(function (a, b) { return S.calls[b].updated - S.calls[a].updated; });
  var rows = ids.slice(0, MAX_CALLS_SHOWN).map(function (id) {
    var c = S.calls[id], v = c.view;
    return '<tr data-call="' + esc(id) + '" class="' + (id === S.selected ? 'sel' : '') + (c.gone ? ' gone' : '') + '"><td title="' + esc(id) + '">' + esc(short(id)) + '</td>' +
      '<td class="state">' + esc(v.state) + '</td><td>' + esc(v.kind) + '</td><td class="hold">' + holdCell(c, t) + '</td>' +
      '<td>' + v.holdQueue.length + '</td><td class="inflight">' + esc(v.operations.map(function (o) { return o.action + ' ' + o.state; }).join(', ') || '\u2014') + '</td></tr>';
  });
  $('calls').innerHTML = '<table><thead><tr><th>call</th><th>state</th><th>kind</th><th>hold slot</th><th>queue</th><th>operations in flight</th></tr></thead><tbody>' +
    (rows.join('') || '<tr><td colspan="6" class="muted">No call yet.</td></tr>') + '</tbody></table>' +
    (ids.length > MAX_CALLS_SHOWN ? '<p class="muted">Showing the ' + MAX_CALLS_SHOWN + ' most recent of ' + ids.length + ' calls.</p>' : '');
}
function opMachineState(callId, o) {
  var session = Object.keys(S.actors).filter(function (s) { var a = S.actors[s]; return a.id === o.cc && a.m === 'operation'; })[0];
  return session ? S.actors[session] : { state: o.state, prev: undefined };
}
function renderDetail(t) {
  var id = S.selected, c = id && S.calls[id];
  if (!c) { $('detail').innerHTML = '<p class="muted">Select a call.</p>'; return; }
  var name = nameIn(id), tl = timeline(id, t), end = c.view.state === 'terminated' ? c.updated : t, o = opsOf(id);
  var html = ['<h2>Call <code>' + esc(id) + '</code> <span class="state">' + esc(c.view.state) + '</span></h2>'];
  if (S.machines.call) html.push('<h3>Call machine (its hold slot is the <code>established.hold</code> region)</h3><div class="diagram" id="callDiagram">' + drawMachine(S.machines.call, c.view.state, c.prev) + '</div>');
  var opsWithMachine = o.order.map(function (k) { return o.by[k]; }).filter(function (x) { return x.state !== undefined; }).slice(-6);
  if (S.machines.operation && opsWithMachine.length > 0) {
    html.push('<h3>Operation machines</h3><div class="ops-diagrams">');
    opsWithMachine.forEach(function (x) {
      var st = opMachineState(id, x);
      html.push('<figure data-op="' + esc(x.cc) + '"><figcaption>' + esc((x.action || '?') + (x.p ? ' ' + name(x.p) : '') + ' \u00b7 ' + (st.state || '')) + '</figcaption>' + drawMachine(S.machines.operation, st.state, st.prev) + '</figure>');
    });
    html.push('</div>');
  }
  html.push('<h3>Hold timeline</h3><div id="timeline">' + drawTimeline(tl, name, end) + '</div><ul class="holds">');
  tl.segs.forEach(function (s) { html.push('<li class="hold-seg">' + esc(name(s.p)) + ' on hold ' + (s.approx ? '(seen) ' : '') + clock(s.start) + ' \u2192 ' + (s.end === undefined ? 'now' : clock(s.end)) + ' (' + span((s.end === undefined ? end : s.end) - s.start) + ')</li>'); });
  Object.keys(tl.queued).forEach(function (k) { var q = tl.queued[k]; html.push('<li class="hold-queued">' + esc(name(q.p)) + ' queued ' + clock(q.start) + ' \u2192 ' + (q.end === undefined ? 'now' : clock(q.end)) + '</li>'); });
  tl.refused.forEach(function (r) { html.push('<li class="hold-refused">' + esc(name(r.p)) + ' refused at ' + clock(r.t) + ': ' + esc(name(r.by)) + ' held the slot</li>'); });
  html.push('</ul><h3>Operations</h3><table class="ops"><thead><tr><th>action</th><th>participant</th><th>clientContext</th><th>requested</th><th>answer</th><th>outcome</th><th>took</th></tr></thead><tbody>');
  o.order.slice().reverse().forEach(function (k) {
    var x = o.by[k], start = x.requestedAt === undefined ? x.first : x.requestedAt;
    html.push('<tr class="' + (x.ok === true ? 'ok' : x.ok === false ? 'bad' : '') + '"><td>' + esc(x.action || '') + '</td><td>' + esc(x.p ? name(x.p) : '') + '</td><td title="' + esc(x.crid ? 'client-request-id ' + x.crid : '') + '">' + esc(short(x.cc)) + '</td>' +
      '<td>' + (x.requestedAt === undefined ? '<span class="muted">not sent</span>' : clock(x.requestedAt)) + '</td>' +
      '<td>' + (x.http === undefined ? '' : 'HTTP ' + x.http + (x.attempts > 1 ? ' after ' + x.attempts + ' tries' : '')) + '</td>' +
      '<td class="outcome">' + esc(x.outcome || x.state || '') + (x.late ? ' (late: ' + esc(x.late) + ')' : '') + '</td>' +
      '<td>' + (x.settledAt === undefined ? span(t - start) + '\u2026' : span(x.settledAt - start)) + '</td></tr>');
  });
  html.push('</tbody></table>');
  $('detail').innerHTML = html.join('');
}
function related(entry) {
  if (entry.kind === 'calls') return entry.call === S.selected;
  var a = S.actors[entry.s];
  return !!a && (a.id === S.selected || (!!a.parent && !!S.actors[a.parent] && S.actors[a.parent].id === S.selected));
}
function renderLog() {
  var q = $('filter').value.toLowerCase(), kind = $('kind').value, mine = $('mine').checked, out = [];
  for (var i = S.log.length - 1; i >= 0 && out.length < 400; i--) {
    var e = S.log[i];
    if (kind !== 'all' && e.kind !== kind) continue;
    if (mine && !related(e)) continue;
    var line = clock(e.t) + ' ' + (e.call ? short(e.call) + ' ' : '') + e.text;
    if (q && line.toLowerCase().indexOf(q) < 0) continue;
    out.push('<li class="' + e.kind + '">' + esc(line) + '</li>');
  }
  $('log').innerHTML = out.join('') || '<li class="muted">Nothing matches.</li>';
}
function renderActors() {
  var keys = Object.keys(S.actors).reverse().slice(0, 300);
  $('actors').innerHTML = keys.length === 0 ? '<p class="muted">No inspection event yet: pass <code>view.inspect</code> as the orchestrator\u2019s <code>inspect</code> option.</p>' :
    '<table><thead><tr><th>actor</th><th>parent</th><th>machine</th><th>state</th><th>events</th><th>last event</th></tr></thead><tbody>' + keys.map(function (s) {
      var a = S.actors[s], p = a.parent && S.actors[a.parent];
      return '<tr data-actor="' + esc(s) + '" class="' + (s === S.actor ? 'sel' : '') + '"><td>' + esc(short(a.id || s)) + '</td><td>' + esc(p ? short(p.id) : '') + '</td><td>' + esc(a.m || '') + '</td><td>' + esc(a.state || '') + ' <span class="muted">' + esc(a.status || '') + '</span></td><td>' + a.events + '</td><td>' + esc(a.last || '') + '</td></tr>';
    }).join('') + '</tbody></table>';
  var sel = S.actor && S.actors[S.actor];
  $('actorDiagram').innerHTML = sel && sel.m && S.machines[sel.m] ? '<h3>' + esc(sel.id) + '</h3>' + drawMachine(S.machines[sel.m], sel.state, sel.prev) : '';
}
function render() {
  dirty = false;
  var t = now();
  lastRender = t;
  $('conn').textContent = S.connected ? 'live' : 'connecting\u2026';
  $('conn').className = S.connected ? 'live' : 'down';
  var st = S.stats;
  $('stats').textContent = st ? 'calls ' + st.calls + ' \u00b7 operations pending ' + st.pendingOperations + ' \u00b7 notifications applied ' + st.notificationsApplied + ' \u00b7 unmatched ' + st.unmatchedNotifications : '';
  $('lost').textContent = S.lost > 0 ? S.lost + ' events were lost (the server had too many at once)' : '';
  renderCalls(t); renderDetail(t); renderLog(); renderActors();
}
document.addEventListener('click', function (ev) {
  var row = ev.target.closest && ev.target.closest('tr[data-call]');
  if (row) { S.selected = row.getAttribute('data-call'); touch(); return; }
  var ar = ev.target.closest && ev.target.closest('tr[data-actor]');
  if (ar) { S.actor = ar.getAttribute('data-actor'); touch(); }
});
['filter', 'kind', 'mine'].forEach(function (id) { $(id).addEventListener('input', touch); $(id).addEventListener('change', touch); });
setInterval(touch, 1000);

var token = new URLSearchParams(location.search).get('token');
var base = location.pathname.replace(/\/?$/, '/');
function connect() {
  var es = new EventSource(base + 'events' + (token ? '?token=' + encodeURIComponent(token) : ''));
  es.onopen = function () { S.connected = true; touch(); };
  es.onmessage = function (ev) { onMessage(JSON.parse(ev.data)); touch(); };
  // On a reconnect the server replays its history: start from a clean state.
  es.onerror = function () {
    S.connected = false; touch();
    if (es.readyState === 2) setTimeout(connect, 2000);
  };
  es.addEventListener('open', function () { var keep = S.selected; S.calls = {}; S.ops = {}; S.tl = {}; S.log = []; S.actors = {}; S.selected = keep; });
}
connect();
render();
`
