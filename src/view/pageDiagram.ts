// The live view page's drawing code (browser JavaScript, run as is): state machine diagrams laid out
// from a MachineGraph, and the hold timeline. No library: nested boxes in a grid, curved edges.
// Written without template literals so it can sit in this String.raw.

/** Browser code: `drawMachine(graph, state, previous)` and `drawTimeline(timeline, names, now)` return SVG markup. */
export const pageDiagram = String.raw`
var SVGNS_ATTR = 'xmlns="http://www.w3.org/2000/svg"';
function esc(s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
function childPath(path, key) { return path === '' ? key : path + '.' + key; }
// A parallel state's name joins its regions' paths with ' + ' (see stateName).
function leavesOf(state) { return String(state || '').split(' + '); }
function prefixes(state) {
  var out = [];
  leavesOf(state).forEach(function (leaf) {
    var parts = leaf.split('.');
    for (var i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.'));
  });
  return out;
}
var layouts = {};
function layoutOf(graph) {
  if (layouts[graph.id]) return layouts[graph.id];
  var nodes = {};
  graph.nodes.forEach(function (n) { nodes[n.path] = { n: n, x: 0, y: 0, w: 0, h: 0 }; });
  var PAD = 12, GAP = 56, HEAD = 20;
  function size(path) {
    var b = nodes[path], kids = b.n.children.map(function (k) { return childPath(path, k); });
    if (kids.length === 0) { b.w = Math.max(76, b.n.key.length * 7 + 26); b.h = 30; return; }
    kids.forEach(size);
    var cols = Math.min(kids.length, Math.ceil(Math.sqrt(kids.length)));
    var colW = [], rowH = [];
    kids.forEach(function (k, i) {
      var c = i % cols, r = Math.floor(i / cols);
      colW[c] = Math.max(colW[c] || 0, nodes[k].w);
      rowH[r] = Math.max(rowH[r] || 0, nodes[k].h);
    });
    b.grid = { cols: cols, colW: colW, rowH: rowH, kids: kids };
    var head = path === '' ? 0 : HEAD;
    b.w = colW.reduce(function (a, x) { return a + x; }, 0) + GAP * (cols - 1) + 2 * PAD;
    b.h = rowH.reduce(function (a, x) { return a + x; }, 0) + GAP * (rowH.length - 1) + 2 * PAD + head;
    b.w = Math.max(b.w, b.n.key.length * 7 + 30);
  }
  function place(path, x, y) {
    var b = nodes[path]; b.x = x; b.y = y;
    if (!b.grid) return;
    var g = b.grid, head = path === '' ? 0 : HEAD;
    g.kids.forEach(function (k, i) {
      var c = i % g.cols, r = Math.floor(i / g.cols);
      var cx = x + PAD, cy = y + PAD + head;
      for (var j = 0; j < c; j++) cx += g.colW[j] + GAP;
      for (var j2 = 0; j2 < r; j2++) cy += g.rowH[j2] + GAP;
      place(k, cx + (g.colW[c] - nodes[k].w) / 2, cy + (g.rowH[r] - nodes[k].h) / 2);
    });
  }
  size('');
  place('', 0, 0);
  // Edges grouped by their two ends: one curve, every event in its tooltip.
  var groups = {}, anyState = [];
  graph.edges.forEach(function (e) {
    var label = e.event + (e.guard ? ' [' + e.guard + ']' : '');
    if (e.from === '' || e.from === e.to) { anyState.push((e.from === '' ? '' : e.from + ': ') + label + ' \u2192 ' + e.to); return; }
    var key = e.from + '>' + e.to;
    (groups[key] = groups[key] || { from: e.from, to: e.to, labels: [] }).labels.push(label);
  });
  var l = { nodes: nodes, edges: Object.keys(groups).map(function (k) { return groups[k]; }), anyState: anyState, w: nodes[''].w, h: nodes[''].h };
  layouts[graph.id] = l;
  return l;
}
function border(b, tx, ty) {
  var cx = b.x + b.w / 2, cy = b.y + b.h / 2, dx = tx - cx, dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  var s = Math.min(Math.abs((b.w / 2) / (dx || 1e-9)), Math.abs((b.h / 2) / (dy || 1e-9)));
  return [cx + dx * s, cy + dy * s];
}
function shortLabel(labels) {
  var first = labels[0].replace(/ \[.*$/, '');
  if (first.length > 22) first = first.slice(0, 21) + '\u2026';
  return labels.length > 1 ? first + ' +' + (labels.length - 1) : first;
}
var svgCount = 0;
function drawMachine(graph, state, previous) {
  var l = layoutOf(graph), on = {}, was = {}, mid = 'arr' + (++svgCount);
  prefixes(state).forEach(function (p) { on[p] = true; });
  prefixes(previous).forEach(function (p) { was[p] = true; });
  was[''] = true;
  var out = ['<svg ' + SVGNS_ATTR + ' class="machine" data-machine="' + esc(graph.id) + '" data-state="' + esc(state || '') + '" viewBox="-4 -4 ' + (l.w + 8) + ' ' + (l.h + 8) + '" width="' + (l.w + 8) + '" height="' + (l.h + 8) + '">',
    '<defs><marker id="' + mid + '" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker></defs>'];
  graph.nodes.forEach(function (n) {
    if (n.path === '') return;
    var b = l.nodes[n.path], compound = n.children.length > 0;
    var cls = 'st' + (compound ? ' compound' : '') + (on[n.path] ? ' on' : '') + (leavesOf(state).indexOf(n.path) >= 0 ? ' current' : '') + (n.type === 'final' ? ' final' : '');
    out.push('<g class="' + cls + '" data-path="' + esc(n.path) + '"><rect x="' + b.x + '" y="' + b.y + '" width="' + b.w + '" height="' + b.h + '" rx="8"/>' +
      '<text x="' + (b.x + (compound ? 8 : b.w / 2)) + '" y="' + (b.y + (compound ? 14 : b.h / 2 + 4)) + '"' + (compound ? '' : ' text-anchor="middle"') + '>' + esc(n.key) + '</text></g>');
    if (compound && n.initial) {
      var ib = l.nodes[childPath(n.path, n.initial)];
      out.push('<circle class="initial" cx="' + (ib.x - 9) + '" cy="' + (ib.y + 6) + '" r="3.5"/>');
    }
  });
  l.edges.forEach(function (e) {
    var a = l.nodes[e.from], b = l.nodes[e.to];
    var ac = [a.x + a.w / 2, a.y + a.h / 2], bc = [b.x + b.w / 2, b.y + b.h / 2];
    var p = border(a, bc[0], bc[1]), q = border(b, ac[0], ac[1]);
    var mx = (p[0] + q[0]) / 2, my = (p[1] + q[1]) / 2, dx = q[0] - p[0], dy = q[1] - p[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
    var bend = Math.min(28, len / 4), cx = mx - dy / len * bend, cy = my + dx / len * bend;
    var lit = previous !== undefined && previous !== state && was[e.from] && leavesOf(state).some(function (s) { return e.to === s || s.indexOf(e.to + '.') === 0; });
    out.push('<g class="edge' + (lit ? ' taken' : '') + '"><title>' + esc(e.from + ' \u2192 ' + e.to + ': ' + e.labels.join(' | ')) + '</title>' +
      '<path d="M' + p[0] + ',' + p[1] + ' Q' + cx + ',' + cy + ' ' + q[0] + ',' + q[1] + '" marker-end="url(#' + mid + ')"/>' +
      '<text x="' + (mx * 0.5 + cx * 0.5) + '" y="' + (my * 0.5 + cy * 0.5 - 2) + '" text-anchor="middle">' + esc(shortLabel(e.labels)) + '</text></g>');
  });
  out.push('</svg>');
  var any = l.anyState.length === 0 ? '' : '<div class="anystate" title="' + esc(l.anyState.join('\n')) + '">in any state: ' + esc(l.anyState.map(function (s) { return s.replace(/ \[.*?\]/, ''); }).join(' \u00b7 ')) + '</div>';
  return out.join('') + any;
}
function clock(t) { var d = new Date(t); return d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0'); }
function span(ms) { return ms < 1000 ? Math.round(ms) + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s'; }
function drawTimeline(tl, name, now) {
  var rows = [], seen = {};
  function row(p) { if (!seen[p]) { seen[p] = true; rows.push(p); } }
  tl.segs.forEach(function (s) { row(s.p); });
  Object.keys(tl.queued).forEach(function (k) { row(tl.queued[k].p); });
  tl.refused.forEach(function (r) { row(r.p); });
  if (rows.length === 0) return '<p class="muted">No hold yet.</p>';
  var t0 = tl.first, t1 = Math.max(now, t0 + 1000), W = 640, LEFT = 130, RH = 26;
  function x(t) { return LEFT + (t - t0) / (t1 - t0) * (W - LEFT - 10); }
  var out = ['<svg ' + SVGNS_ATTR + ' class="timeline" width="' + W + '" height="' + (rows.length * RH + 24) + '">'];
  rows.forEach(function (p, i) {
    var y = i * RH + 4;
    out.push('<text class="who" x="4" y="' + (y + 15) + '">' + esc(name(p)) + '</text><line class="lane" x1="' + LEFT + '" x2="' + (W - 10) + '" y1="' + (y + 11) + '" y2="' + (y + 11) + '"/>');
    Object.keys(tl.queued).forEach(function (k) {
      var q = tl.queued[k];
      if (q.p !== p) return;
      var e = q.end === undefined ? now : q.end;
      out.push('<rect class="queued" x="' + x(q.start) + '" y="' + (y + 3) + '" width="' + Math.max(3, x(e) - x(q.start)) + '" height="16"><title>queued ' + esc(span(e - q.start)) + '</title></rect>');
    });
    tl.segs.forEach(function (s) {
      if (s.p !== p) return;
      var e = s.end === undefined ? now : s.end, h = s.heldAt === undefined ? e : s.heldAt;
      out.push('<rect class="holding" x="' + x(s.start) + '" y="' + (y + 3) + '" width="' + Math.max(2, x(h) - x(s.start)) + '" height="16"/>');
      if (s.heldAt !== undefined) out.push('<rect class="held" x="' + x(s.heldAt) + '" y="' + (y + 3) + '" width="' + Math.max(2, x(e) - x(s.heldAt)) + '" height="16"><title>on hold ' + esc(span(e - s.start)) + '</title></rect>');
    });
    tl.refused.forEach(function (r) {
      if (r.p !== p) return;
      out.push('<g class="refused"><title>refused: ' + esc(name(r.by)) + ' held the slot</title><path d="M' + (x(r.t) - 5) + ',' + (y + 6) + 'l10,10m0,-10l-10,10"/></g>');
    });
  });
  var ay = rows.length * RH + 18;
  out.push('<text class="axis" x="' + LEFT + '" y="' + ay + '">' + clock(t0) + '</text><text class="axis" x="' + (W - 10) + '" y="' + ay + '" text-anchor="end">' + clock(t1) + '</text></svg>');
  return out.join('');
}
`
