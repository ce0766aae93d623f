// The status page: plain JavaScript, no framework and nothing loaded from elsewhere (boxes are offline).
// Data: /ui/tasks (tiles), /task/snapshot, /task/alarms, /ui/log; all same-origin, so the
// browser sends the operator's Basic credentials itself once it asked for them.
'use strict';

const SNAPSHOT_EVERY_MS = 3000;
const TASKS_EVERY_MS = 2000;
const DETAIL_EVERY_MS = 5000;
const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#ffd400', '#00e5ff', '#ff4fd8', '#7CFC00', '#ff8c00', '#ffffff', '#b388ff', '#ff5252'];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') { e.className = v; } else { e.setAttribute(k, v); }
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) { e.setAttribute(k, v); }
  return e;
}

async function getJson(url) {
  const r = await fetch(url, { cache: 'no-store' });
  const body = await r.json().catch(() => ({ Code: -1, Msg: 'HTTP ' + r.status }));
  if (!r.ok || body.Code !== 0) { throw new Error(body.Msg || ('HTTP ' + r.status)); }
  return body.Result;
}

const q = (id) => encodeURIComponent(id);

/**
 * Keeps one <img> showing a task's current frame, fetched every few seconds while the image is on
 * screen and the page visible (each fetch may wake a stream's frame copy or grab from the camera).
 * The frame goes in as a blob URL, so the old picture stays until the new one is there.
 */
class Snapshot {
  constructor(img, note, onFrame) {
    this.img = img; this.note = note; this.onFrame = onFrame;
    this.taskId = null; this.visible = false; this.busy = false; this.url = null; this.timer = null;
    this.observer = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (this.visible) { this.tick(); }
    });
    this.observer.observe(img.parentElement);
  }
  show(taskId) {
    if (taskId !== this.taskId) { this.taskId = taskId; this.tick(); }
    if (!this.timer) { this.timer = setInterval(() => this.tick(), SNAPSHOT_EVERY_MS); }
  }
  stop() {
    clearInterval(this.timer); this.timer = null; this.taskId = null; this.observer.disconnect();
    if (this.url) { URL.revokeObjectURL(this.url); this.url = null; }
  }
  async tick() {
    if (!this.taskId || !this.visible || document.hidden || this.busy) { return; }
    this.busy = true;
    try {
      const r = await fetch('/task/snapshot?TaskID=' + q(this.taskId), { cache: 'no-store' });
      if (!r.ok) {
        const body = await r.json().catch(() => ({}));
        this.note.textContent = 'no picture: ' + (body.Msg || ('HTTP ' + r.status));
        return;
      }
      const url = URL.createObjectURL(await r.blob());
      this.img.onload = () => {
        if (this.url && this.url !== url) { URL.revokeObjectURL(this.url); }
        this.url = url;
        this.note.textContent = '';
        if (this.onFrame) { this.onFrame(this.img); }
      };
      this.img.onerror = () => {
        URL.revokeObjectURL(url);
        this.note.textContent = 'no picture: the frame could not be decoded';
      };
      this.img.src = url;
    } catch (e) {
      this.note.textContent = 'no picture: ' + e.message;
    } finally {
      this.busy = false;
    }
  }
}

function stateBadge(span, state) {
  span.textContent = state;
  span.className = 'state s-' + state;
}

function algorithms(task) {
  return (task.Algorithms || []).map((a) => a.Algorithm).join(', ');
}

// ---- the grid -------------------------------------------------------------------------------

const tiles = new Map(); // TaskID -> { root, parts, snapshot }

function makeTile(id) {
  const img = el('img', { alt: 'snapshot of ' + id });
  const note = el('span', { class: 'noimg' }, 'loading…');
  const parts = {
    id: el('span', { class: 'id' }, id), state: el('span', { class: 'state' }),
    src: el('div', { class: 'src' }), fps: el('b'), alarms: el('b'), restarts: el('b'),
    err: el('div', { class: 'err' }),
  };
  const root = el('a', { class: 'tile', href: '#/task/' + q(id), 'data-task-id': id },
    el('div', { class: 'shot' }, img, note),
    el('div', { class: 'body' },
      el('div', { class: 'head' }, parts.id, parts.state),
      parts.src,
      el('div', { class: 'figs' },
        el('div', {}, parts.fps, el('span', {}, 'frames/s')),
        el('div', {}, parts.alarms, el('span', {}, 'alarms, last hour')),
        el('div', {}, parts.restarts, el('span', {}, 'restarts'))),
      parts.err));
  const snapshot = new Snapshot(img, note);
  snapshot.show(id);
  return { root, parts, snapshot };
}

function fillTile(tile, t) {
  const task = t.Task;
  stateBadge(tile.parts.state, task.State);
  tile.root.dataset.state = task.State;
  tile.parts.src.textContent = (task.SrcID || '—') + ' · ' + algorithms(task);
  tile.parts.fps.textContent = t.FramesPerSecond.toFixed(1);
  tile.parts.alarms.textContent = t.AlarmsLastHour;
  tile.parts.restarts.textContent = task.RestartCount;
  tile.parts.err.textContent = task.LastError || '';
  tile.parts.err.hidden = !task.LastError;
}

async function refreshGrid() {
  let tasks;
  try {
    tasks = await getJson('/ui/tasks');
  } catch (e) {
    document.getElementById('summary').textContent = 'server not answering: ' + e.message;
    return;
  }
  const grid = document.getElementById('grid');
  const seen = new Set();
  for (const t of tasks) {
    const id = t.Task.TaskID;
    seen.add(id);
    let tile = tiles.get(id);
    if (!tile) {
      tile = makeTile(id);
      tiles.set(id, tile);
      grid.append(tile.root);
    }
    fillTile(tile, t);
  }
  for (const [id, tile] of tiles) {
    if (!seen.has(id)) { tile.snapshot.stop(); tile.root.remove(); tiles.delete(id); }
  }
  const running = tasks.filter((t) => t.Task.Status === 1).length;
  document.getElementById('summary').textContent =
    tasks.length + ' task(s), ' + running + ' active · ' + new Date().toLocaleTimeString();
  document.getElementById('grid-empty').hidden = tasks.length > 0;
}

// ---- one task ------------------------------------------------------------------------------

const detail = { id: null, snapshot: null, shapes: [], timer: null };

function drawShapes(img) {
  const overlay = document.getElementById('overlay');
  overlay.replaceChildren();
  if (!img.naturalWidth) { return; }
  const w = img.naturalWidth; const h = img.naturalHeight;
  overlay.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
  const stroke = Math.max(2, Math.round(w / 320));
  const legend = [];
  for (const s of detail.shapes) {
    const colour = COLOURS[s.Index % COLOURS.length];
    for (const area of s.HotAreas) {
      if (area.WholeFrame) { legend.push('entry ' + s.Index + ' (' + s.Algorithm + '): HotArea = whole frame'); continue; }
      overlay.append(svg('polygon', {
        points: area.Points.map((p) => p.X + ',' + p.Y).join(' '),
        fill: colour, 'fill-opacity': '0.12', stroke: colour, 'stroke-width': stroke,
      }));
      legend.push('entry ' + s.Index + ' (' + s.Algorithm + '): HotArea');
    }
    for (const wire of s.TripWires) {
      const a = wire.LineStart || { X: 0, Y: 0 }; const b = wire.LineEnd || { X: 0, Y: 0 };
      overlay.append(svg('line', { x1: a.X, y1: a.Y, x2: b.X, y2: b.Y, stroke: colour, 'stroke-width': stroke * 1.5 }));
      const ds = wire.DirectStart; const de = wire.DirectEnd;
      if (ds && de && (ds.X || ds.Y || de.X || de.Y)) {
        overlay.append(svg('line', { x1: ds.X, y1: ds.Y, x2: de.X, y2: de.Y, stroke: colour, 'stroke-width': stroke, 'stroke-dasharray': stroke * 3 }));
        overlay.append(svg('circle', { cx: de.X, cy: de.Y, r: stroke * 3, fill: colour }));
      }
      legend.push('entry ' + s.Index + ' (' + s.Algorithm + '): TripWire');
    }
  }
  document.getElementById('legend').textContent = legend.join(' · ');
}

const COUNTER_ROWS = [
  ['framesReceived', 'frames received'], ['framesPerSecond', 'frames/s'],
  ['alarmsProduced', 'alarms produced'], ['alarmsDelivered', 'alarms delivered'],
  ['alarmsFailed', 'deliveries failed (retried)'], ['alarmsQueued', 'alarms queued'],
  ['alarmsDropped', 'alarms dropped'], ['lastFrameAgeMs', 'last frame (ms ago)'],
  ['alarmLatencyP50Ms', 'alarm latency p50 (ms)'], ['lastDeliveryError', 'last delivery error'],
  ['lastReportError', 'last stream error'],
];

function countersTable(a) {
  const rows = [
    ['state', a.State], ['restarts', a.RestartCount],
    ['business-logic pid / port', (a.BusinessLogicPid || '—') + ' / ' + a.BusinessLogicPort],
    ['stream pid', a.StreamPid || '—'],
  ];
  const c = a.Counters || {};
  for (const [key, label] of COUNTER_ROWS) {
    if (c[key] != null) { rows.push([label, c[key]]); }
  }
  if (a.LastError) { rows.push(['last error', a.LastError]); }
  return el('table', {},
    el('caption', {}, 'entry ' + a.Index + ': ' + a.Algorithm + ' (Type ' + a.Type + ')'),
    ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
}

function showScene(alarm) {
  const img = document.getElementById('scene-img');
  const boxes = document.getElementById('scene-boxes');
  boxes.replaceChildren();
  img.onload = () => {
    boxes.setAttribute('viewBox', '0 0 ' + img.naturalWidth + ' ' + img.naturalHeight);
    const stroke = Math.max(2, Math.round(img.naturalWidth / 320));
    for (const ev of alarm.Events || []) {
      const b = ev.Box || {};
      boxes.append(svg('rect', {
        x: b.LeftTopX, y: b.LeftTopY, width: b.RightBtmX - b.LeftTopX, height: b.RightBtmY - b.LeftTopY,
        fill: 'none', stroke: '#ff2d2d', 'stroke-width': stroke,
      }));
    }
  };
  img.src = alarm.SceneImageUrl;
  document.getElementById('scene-caption').textContent = new Date(alarm.Time).toLocaleString() +
    ' · frame ' + alarm.FrameIndex + ' · ' + (alarm.Events || []).map((e) => 'Type ' + e.Type).join(', ');
  document.getElementById('scene').showModal();
}

async function refreshAlarms(id) {
  let result;
  try { result = await getJson('/task/alarms?TaskID=' + q(id) + '&limit=24'); } catch (e) { return; }
  if (detail.id !== id) { return; }
  const box = document.getElementById('alarms');
  const known = new Set([...box.children].map((c) => c.dataset.key));
  const fresh = result.Alarms.map((a) => a.SceneImage);
  if (fresh.length === known.size && fresh.every((k) => known.has(k))) { return; }
  box.replaceChildren(...result.Alarms.map((a) => {
    const ev = (a.Events || [])[0];
    const b = el('button', { class: 'thumb', type: 'button', 'data-key': a.SceneImage },
      el('img', { src: ev && ev.ImageUrl ? ev.ImageUrl : a.SceneImageUrl, alt: 'alarm', loading: 'lazy' }),
      el('span', {}, new Date(a.Time).toLocaleTimeString()));
    b.addEventListener('click', () => showScene(a));
    return b;
  }));
  document.getElementById('alarms-empty').hidden = result.Alarms.length > 0;
}

async function refreshLogs(id, task) {
  const logs = document.getElementById('logs');
  for (const a of task.Algorithms || []) {
    for (const child of ['stream', 'business-logic']) {
      const key = a.Index + '/' + child;
      let pre = logs.querySelector('pre[data-key="' + key + '"]');
      if (!pre) {
        pre = el('pre', { 'data-key': key });
        logs.append(el('details', { open: '' }, el('summary', {}, 'entry ' + a.Index + ' ' + child + '.log (last 16 KB)'), pre));
      }
      try {
        const r = await fetch('/ui/log?TaskID=' + q(id) + '&entry=' + a.Index + '&child=' + child, { cache: 'no-store' });
        const text = await r.text();
        if (detail.id !== id) { return; }
        const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
        if (pre.textContent !== text) {
          pre.textContent = text || '(empty)';
          if (atEnd) { pre.scrollTop = pre.scrollHeight; }
        }
      } catch (e) { /* the next round tries again */ }
    }
  }
}

async function refreshDetail() {
  const id = detail.id;
  let t;
  try {
    t = (await getJson('/ui/tasks?TaskID=' + q(id)))[0];
  } catch (e) {
    document.getElementById('t-error').hidden = false;
    document.getElementById('t-error').textContent = e.message;
    return;
  }
  if (detail.id !== id) { return; }
  const task = t.Task;
  stateBadge(document.getElementById('t-state'), task.State);
  document.getElementById('t-src').textContent = 'SrcID ' + (task.SrcID || '—') + ' · ' + (task.Address || '') +
    ' · ' + t.FramesPerSecond.toFixed(1) + ' frames/s · ' + t.AlarmsLastHour + ' alarm(s) in the last hour · ' +
    task.RestartCount + ' restart(s) · since ' + new Date(task.StartTime).toLocaleString();
  document.getElementById('t-error').hidden = !task.LastError;
  document.getElementById('t-error').textContent = task.LastError || '';
  document.getElementById('counters').replaceChildren(...(task.Algorithms || []).map(countersTable));
  const shapes = JSON.stringify(t.Shapes);
  if (shapes !== JSON.stringify(detail.shapes)) { detail.shapes = t.Shapes; drawShapes(document.getElementById('live')); }
  await refreshAlarms(id);
  await refreshLogs(id, task);
}

function openTask(id) {
  detail.id = id;
  detail.shapes = [];
  document.getElementById('t-id').textContent = id;
  document.getElementById('alarms').replaceChildren();
  document.getElementById('logs').replaceChildren();
  document.getElementById('overlay').replaceChildren();
  if (!detail.snapshot) {
    detail.snapshot = new Snapshot(document.getElementById('live'), document.getElementById('live-note'), drawShapes);
  }
  detail.snapshot.show(id);
  refreshDetail();
  detail.timer = setInterval(refreshDetail, DETAIL_EVERY_MS);
}

function closeTask() {
  clearInterval(detail.timer);
  detail.timer = null;
  detail.id = null;
  if (detail.snapshot) { detail.snapshot.stop(); detail.snapshot = null; }
}

// ---- routing ---------------------------------------------------------------------------------

let gridTimer = null;

function route() {
  const m = location.hash.match(/^#\/task\/(.+)$/);
  closeTask();
  document.getElementById('grid-view').hidden = !!m;
  document.getElementById('task-view').hidden = !m;
  clearInterval(gridTimer);
  if (m) {
    for (const tile of tiles.values()) { tile.snapshot.stop(); }
    tiles.clear();
    document.getElementById('grid').replaceChildren();
    openTask(decodeURIComponent(m[1]));
  } else {
    refreshGrid();
    gridTimer = setInterval(refreshGrid, TASKS_EVERY_MS);
  }
}

window.addEventListener('hashchange', route);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    for (const tile of tiles.values()) { tile.snapshot.tick(); }
    if (detail.snapshot) { detail.snapshot.tick(); }
  }
});
route();
