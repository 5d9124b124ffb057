// The head office's console. Reads the same JSON APIs a reporting client does, with the signed-in person's cookie,
// every few seconds, and writes every value as text (never as HTML: reasons and names come from branches).
'use strict';

const REFRESH_MS = 4000;
// Reading the error queues takes each message and gives it back (a quorum queue counts that as a delivery): less
// often than the rest, and at once after an action.
const DEAD_REFRESH_MS = 20000;
let deadReadAt = 0;
const page = document.body.dataset.page;
let session = null;

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers[session.antiforgeryHeader] = session.antiforgeryToken;
  }
  const response = await fetch(path, {
    method: options.method || 'GET',
    credentials: 'same-origin',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401) {
    location.assign('/console/sign-in?returnUrl=' + encodeURIComponent(location.pathname));
    throw new Error('signed out');
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || JSON.stringify(problem.errors || problem);
    } catch { /* not JSON */ }
    throw new Error(`${response.status} ${detail}`);
  }
  return response.status === 204 ? null : response.json();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('data-')) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  return node;
}

const time = value => value ? new Date(value).toLocaleString() : '—';
const number = value => value === null || value === undefined ? '—' : Number(value).toLocaleString();
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}
const since = value => value ? `since ${new Date(value).toLocaleString()}` : '(never heard)';

function renderAlerts(report) {
  const box = document.getElementById('alerts');
  const branchId = page === 'branch' ? currentBranch() : null;
  const alerts = report.alerts.filter(a => !branchId || a.subject === branchId || a.kind === 'certificate-expiring' || a.kind === 'check-failed');
  box.replaceChildren(...alerts.map(a => el('p', { class: `alert ${a.kind}`, 'data-kind': a.kind, 'data-subject': a.subject }, a.message)));
  box.hidden = alerts.length === 0;
}

// Offline first (longest silent first), then the largest lag, then the largest backlog.
function worstFirst(a, b) {
  if (a.online !== b.online) return a.online ? 1 : -1;
  if (!a.online) return (a.since ? Date.parse(a.since) : 0) - (b.since ? Date.parse(b.since) : 0);
  return (b.lagSeconds || 0) - (a.lagSeconds || 0) || (b.backlog || 0) - (a.backlog || 0) || a.branchId.localeCompare(b.branchId);
}

function renderBranches(branches) {
  const rows = [...branches].sort(worstFirst).map(b => el('tr', { 'data-branch': b.branchId, class: b.online ? 'online' : 'offline' },
    el('td', {}, el('a', { href: `/console/branches/${encodeURIComponent(b.branchId)}` }, b.branchId)),
    el('td', { class: 'status' }, `${b.online ? 'online' : 'offline'} ${since(b.since)}`),
    el('td', {}, number(b.backlog)),
    el('td', {}, duration(b.lagSeconds)),
    el('td', {}, time(b.lastHeartbeatAt)),
    el('td', {}, time(b.lastReceivedAt)),
    el('td', {}, number(b.rowsPerMinute)),
    el('td', {}, number(b.rows))));
  document.querySelector('#branches tbody').replaceChildren(...rows);
}

function renderDeadMessages(messages) {
  const rows = messages.map(m => {
    const actions = el('td', { class: 'actions' }, el('button', { type: 'button', 'data-action': 'body' }, 'Body'));
    // Actions need the page's "Why" field: the network page has it.
    if (session.canAct && page === 'network') {
      actions.append(el('button', { type: 'button', 'data-action': 'retry' }, 'Retry'), el('button', { type: 'button', 'data-action': 'discard' }, 'Discard'));
    }
    return el('tr', { 'data-message-id': m.messageId, 'data-queue': m.queue, 'data-branch': m.branchId || '' },
      el('td', {}, m.messageType), el('td', {}, m.branchId || '—'), el('td', {}, time(m.failedAt)),
      el('td', { class: 'reason' }, m.reason), el('td', {}, m.queue), actions);
  });
  document.querySelector('#dead-messages tbody').replaceChildren(...rows);
}

function renderAudit(entries) {
  const rows = entries.map(a => el('tr', { 'data-message-id': a.messageId, 'data-action': a.action },
    el('td', {}, time(a.at)), el('td', {}, a.actor), el('td', {}, a.action), el('td', {}, a.note),
    el('td', {}, `${a.messageType} ${a.messageId}`), el('td', {}, a.branchId || '—'), el('td', {}, a.queue)));
  document.querySelector('#audit tbody').replaceChildren(...rows);
}

function note() {
  const input = document.getElementById('action-note');
  const text = input ? input.value.trim() : '';
  if (!text) {
    showResult('Say why in the "Why" field first: it goes into the audit.', true);
    if (input) input.focus();
    return null;
  }
  return text;
}

function showResult(text, isError) {
  const result = document.getElementById('action-result');
  if (!result) return;
  result.textContent = text;
  result.className = isError ? 'error' : '';
}

async function act(action, filter) {
  const why = note();
  if (!why) return;
  try {
    const outcome = await api(`/dead-messages/${action}`, { method: 'POST', body: { ...filter, note: why } });
    const verb = action === 'retry' ? 'retried' : 'discarded';
    const none = outcome.done.length === 0 && outcome.failed.length === 0
      ? ' (none matched, or another look held them for a moment: try again)' : '';
    showResult(`${outcome.done.length} ${verb}${none}` + (outcome.failed.length ? `; not done: ${outcome.failed.join('; ')}` : ''), outcome.failed.length > 0);
  } catch (error) {
    showResult(`${action} failed: ${error.message}`, true);
  }
  deadReadAt = 0;
  await refresh();
}

async function showBody(row) {
  const pre = document.getElementById('dead-body');
  try {
    const message = await api(`/dead-messages/${encodeURIComponent(row.dataset.messageId)}?queue=${encodeURIComponent(row.dataset.queue)}`);
    pre.textContent = message.body;
  } catch (error) {
    pre.textContent = `The body could not be read: ${error.message}`;
  }
  pre.hidden = false;
}

function wireDeadMessages() {
  document.querySelector('#dead-messages tbody').addEventListener('click', event => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const row = button.closest('tr');
    if (button.dataset.action === 'body') showBody(row);
    else act(button.dataset.action, { queue: row.dataset.queue, messageId: row.dataset.messageId });
  });
  for (const button of document.querySelectorAll('[data-bulk]')) {
    button.addEventListener('click', () => {
      const form = new FormData(document.getElementById('dead-filter'));
      const filter = {};
      for (const name of ['branchId', 'messageType', 'queue']) {
        const value = (form.get(name) || '').trim();
        if (value) filter[name] = value;
      }
      act(button.dataset.bulk, filter);
    });
  }
}

const currentBranch = () => decodeURIComponent(location.pathname.split('/').filter(Boolean).pop());

function renderChart(samples) {
  const svg = document.getElementById('chart');
  const ns = 'http://www.w3.org/2000/svg';
  const width = 800, height = 240, pad = 30;
  svg.replaceChildren();
  if (samples.length === 0) {
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', width / 2); text.setAttribute('y', height / 2); text.setAttribute('text-anchor', 'middle');
    text.textContent = 'No heartbeat in this period';
    svg.append(text);
    return;
  }
  const times = samples.map(s => Date.parse(s.at));
  const first = Math.min(...times), last = Math.max(...times, first + 1);
  const x = t => pad + (t - first) / (last - first) * (width - 2 * pad);
  for (const [field, css] of [['backlog', 'backlog'], ['lagSeconds', 'lag']]) {
    const highest = Math.max(...samples.map(s => s[field]));
    const top = Math.max(1, highest);
    const y = value => height - pad - value / top * (height - 2 * pad);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('class', css);
    line.setAttribute('points', samples.map((s, i) => `${x(times[i]).toFixed(1)},${y(s[field]).toFixed(1)}`).join(' '));
    svg.append(line);
    // Each sample as a dot too, so that one sample alone still shows.
    if (samples.length <= 300) {
      samples.forEach((s, i) => {
        const dot = document.createElementNS(ns, 'circle');
        dot.setAttribute('class', css); dot.setAttribute('cx', x(times[i]).toFixed(1)); dot.setAttribute('cy', y(s[field]).toFixed(1)); dot.setAttribute('r', '2.5');
        svg.append(dot);
      });
    }
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('class', css); label.setAttribute('x', field === 'backlog' ? pad : width - pad); label.setAttribute('y', pad - 10);
    label.setAttribute('text-anchor', field === 'backlog' ? 'start' : 'end');
    label.textContent = `highest ${field === 'backlog' ? number(highest) + ' rows' : duration(highest)}`;
    svg.append(label);
  }
  for (const [t, anchor] of [[first, 'start'], [last, 'end']]) {
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', x(t)); label.setAttribute('y', height - 8); label.setAttribute('text-anchor', anchor);
    label.textContent = new Date(t).toLocaleString();
    svg.append(label);
  }
}

// Each part of a page is read and drawn on its own: a part whose API fails (the database away, say) leaves the
// others showing, and the footer names it.
async function parts(readers, draw) {
  const names = Object.keys(readers);
  const results = await Promise.allSettled(names.map(name => readers[name]()));
  const values = {};
  const failed = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') values[names[i]] = result.value;
    else failed.push(`${names[i]}: ${result.reason.message}`);
  });
  for (const [name, render] of Object.entries(draw)) {
    const needs = name.split(',');
    if (needs.every(n => n in values)) render(...needs.map(n => values[n]));
  }
  if (failed.length) throw new Error(failed.join('; '));
}

function refreshNetwork() {
  return parts({
    branches: () => api('/branches'),
    alerts: () => api('/alerts'),
    totals: () => api('/console/api/totals'),
    sales: () => api('/reports/sales?groupBy=region'),
    ...(Date.now() - deadReadAt >= DEAD_REFRESH_MS ? { dead: () => api('/dead-messages?limit=200').then(d => { deadReadAt = Date.now(); return d; }) } : {}),
    audit: () => api('/dead-messages/audit?limit=30'),
  }, {
    alerts: alerts => {
      renderAlerts(alerts);
      document.getElementById('branches-online').textContent = `${alerts.branchesOnline} of ${alerts.branches}`;
      document.getElementById('dead-total').textContent = number(alerts.deadMessages);
    },
    branches: renderBranches,
    totals: totals => { document.getElementById('rows-today').textContent = number(totals.rowsStoredToday); },
    sales: sales => { document.getElementById('sales-total').textContent = `${number(sales.totals.total)} (${number(sales.totals.quantity)} items)`; },
    dead: renderDeadMessages,
    audit: renderAudit,
  });
}

function renderBranch(id, branches) {
  const branch = branches.find(b => b.branchId === id);
  document.getElementById('status').textContent = branch ? `${branch.online ? 'online' : 'offline'} ${since(branch.since)}` : 'unknown to the head office';
  document.getElementById('status').className = branch && branch.online ? 'online' : 'offline';
  document.getElementById('backlog').textContent = number(branch && branch.backlog);
  document.getElementById('lag').textContent = duration(branch && branch.lagSeconds);
  document.getElementById('rows').textContent = number(branch && branch.rows);
  document.getElementById('rate').textContent = number(branch && branch.rowsPerMinute);
}

function refreshBranch() {
  const id = currentBranch();
  const hours = document.getElementById('hours').value;
  document.getElementById('branch-name').textContent = id;
  return parts({
    branches: () => api('/branches'),
    alerts: () => api('/alerts'),
    history: () => api(`/branches/${encodeURIComponent(id)}/history?hours=${hours}`),
    batches: () => api(`/console/api/branches/${encodeURIComponent(id)}/batches`),
    dead: () => api(`/dead-messages?branchId=${encodeURIComponent(id)}&limit=200`),
  }, {
    branches: branches => renderBranch(id, branches),
    alerts: renderAlerts,
    history: renderChart,
    batches: batches => document.querySelector('#batches tbody').replaceChildren(...batches.map(b =>
      el('tr', {}, el('td', {}, time(b.storedAt)), el('td', {}, number(b.rows)), el('td', {}, number(b.deleted)), el('td', {}, time(b.newestChangeAt))))),
    dead: renderDeadMessages,
  });
}

async function refresh() {
  try {
    await (page === 'branch' ? refreshBranch() : refreshNetwork());
    document.getElementById('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = 'true';
  } catch (error) {
    document.getElementById('updated').textContent = `Not updated: ${error.message}`;
  }
}

async function start() {
  session = await api('/console/api/session');
  document.getElementById('who').textContent = `${session.name} (${session.role})`;
  document.querySelector('#sign-out input[name="__RequestVerificationToken"]').value = session.antiforgeryToken;
  document.body.classList.toggle('can-act', session.canAct);
  wireDeadMessages();
  if (page === 'branch') document.getElementById('hours').addEventListener('change', refresh);
  await refresh();
  setInterval(refresh, REFRESH_MS);
}

start();
