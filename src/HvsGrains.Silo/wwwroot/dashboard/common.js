// HvsGrains dashboard: what every page shares — the read key, API calls, live streams, formatting.
// The browser only ever holds the READ key: from the page (loopback, when the silo allows it) or
// typed once by the operator and kept in localStorage. Streams are read with fetch so the key
// travels in the X-Api-Key header, never in a URL.
'use strict';

(function () {
  const KEY_STORE = 'hvs.readKey';
  const LEVEL_ICONS = { Normal: '●', Watch: '◆', Warning: '▲', Critical: '✖' };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function readKey() {
    const meta = document.querySelector('meta[name="hvs-read-key"]');
    return (meta && meta.content) || localStorage.getItem(KEY_STORE) || '';
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    const opts = Object.assign({ method: 'GET' }, options || {});
    // opts.key: a stronger key for one call (the operator key of an acknowledgement), never stored.
    const headers = { 'X-Api-Key': opts.key || readKey(), Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method: opts.method, headers, cache: 'no-store',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
    if (!response.ok) {
      let detail = response.statusText;
      try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
      throw new ApiError(response.status, detail);
    }
    return response.json();
  }

  // Connection indicator in the top bar.
  function setConnection(state, text) {
    const box = document.getElementById('conn');
    if (!box) return;
    box.className = 'conn ' + state;
    box.querySelector('.conn-text').textContent = text;
  }

  // Shows the key form until a key the silo accepts as the read key is given; then calls start().
  async function withReadKey(start) {
    const gate = document.getElementById('key-gate');
    const main = document.getElementById('main');
    const form = document.getElementById('key-form');
    const input = document.getElementById('key-input');
    const error = document.getElementById('key-error');
    const change = document.getElementById('change-key');
    let started = false;

    async function accepted() {
      try {
        await api('/api/v1/dashboard/key');
        return true;
      } catch (e) {
        if (e.status === 401 || e.status === 403) return false;
        throw e;
      }
    }

    function showGate(message) {
      main.hidden = true;
      gate.hidden = false;
      error.textContent = message || '';
      setConnection('', 'Key needed');
      input.focus();
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      localStorage.setItem(KEY_STORE, key);
      let ok = false;
      try { ok = await accepted(); } catch (e) { error.textContent = 'The silo cannot be reached: ' + e.message; return; }
      if (!ok) {
        localStorage.removeItem(KEY_STORE);
        showGate('That is not the read key. The dashboard takes the read key only (never the ingest or admin key).');
        return;
      }
      input.value = '';
      gate.hidden = true;
      main.hidden = false;
      if (!started) { started = true; start(); }
    });

    if (change) {
      change.addEventListener('click', () => {
        localStorage.removeItem(KEY_STORE);
        location.reload();
      });
    }

    if (!readKey()) { showGate(); return; }
    let ok = false;
    try { ok = await accepted(); } catch { ok = true; /* silo unreachable: start anyway, streams will retry */ }
    if (!ok) { localStorage.removeItem(KEY_STORE); showGate('The stored key is no longer accepted.'); return; }
    gate.hidden = true;
    main.hidden = false;
    started = true;
    start();
  }

  // A server-sent event stream read with fetch; reconnects by itself with back-off and shows
  // the connection state. onEvent(name, data) receives parsed JSON.
  function stream(path, onEvent, options) {
    const quietLimitMs = (options && options.quietLimitMs) || 25000;
    let stopped = false;
    let delay = 1000;
    let controller = null;

    async function run() {
      while (!stopped) {
        controller = new AbortController();
        let watchdog = null;
        const arm = () => { clearTimeout(watchdog); watchdog = setTimeout(() => controller.abort(), quietLimitMs); };
        try {
          setConnection(delay > 1000 ? 'lost' : 'connecting', delay > 1000 ? 'Connection lost — reconnecting…' : 'Connecting…');
          arm();
          const response = await fetch(path, {
            headers: { 'X-Api-Key': readKey(), Accept: 'text/event-stream' }, cache: 'no-store', signal: controller.signal,
          });
          if (response.status === 401 || response.status === 403) { stopped = true; setConnection('lost', 'Key refused'); return; }
          if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
          setConnection('live', 'Live');
          delay = 1000;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            arm();
            buffer += value;
            let split;
            while ((split = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, split);
              buffer = buffer.slice(split + 2);
              let name = 'message';
              const data = [];
              for (const line of block.split('\n')) {
                if (line.startsWith('event:')) name = line.slice(6).trim();
                else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
              }
              if (data.length) onEvent(name, JSON.parse(data.join('\n')));
            }
          }
        } catch (e) {
          if (stopped) return;
        } finally {
          clearTimeout(watchdog);
        }
        if (stopped) return;
        setConnection('lost', 'Connection lost — reconnecting…');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 8000);
      }
    }

    run();
    return { stop() { stopped = true; if (controller) controller.abort(); } };
  }

  // Calls fn every intervalMs; the connection indicator follows its success.
  function poll(fn, intervalMs) {
    let failures = 0;
    async function tick() {
      try {
        await fn();
        failures = 0;
        setConnection('live', 'Live');
      } catch (e) {
        failures++;
        setConnection('lost', e.status === 401 || e.status === 403 ? 'Key refused' : 'Connection lost — reconnecting…');
      }
      setTimeout(tick, failures ? Math.min(intervalMs * (failures + 1), 8000) : intervalMs);
    }
    tick();
  }

  function levelBadge(level) {
    return el('span', { class: 'level level-' + level, 'data-level': level },
      el('span', { class: 'icon', 'aria-hidden': 'true', text: LEVEL_ICONS[level] || '?' }), level);
  }

  function fmtNumber(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '—';
    return Number(value).toFixed(digits === undefined ? 1 : digits);
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function fmtDateTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + fmtTime(iso);
  }

  function fmtDuration(seconds) {
    const s = Math.floor(seconds);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return `${d}d ${h}h ${m}m`;
    if (h) return `${h}h ${m}m`;
    return `${m}m ${s % 60}s`;
  }

  function fmtBytes(bytes) {
    if (bytes === null || bytes === undefined) return '—';
    return (bytes / 1048576).toFixed(0) + ' MB';
  }

  function shortModule(moduleId, rackId) {
    return rackId && moduleId.startsWith(rackId + '_') ? moduleId.slice(rackId.length + 1) : moduleId;
  }

  // Chart colours for series, in order (distinct under common colour-vision deficiencies).
  const PALETTE = ['#4aa3ff', '#f0812b', '#2ec4b6', '#e5484d', '#c77dff', '#f2d64b', '#8bd450', '#ff7eb6', '#9aa5b1'];

  function chartOptions(title, width, series, yLabel, extra) {
    return Object.assign({
      title, width, height: 220,
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8b98a9', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' } },
        { stroke: '#8b98a9', grid: { stroke: '#243040', width: 1 }, ticks: { stroke: '#243040' }, label: yLabel, size: 60 },
      ],
      series: [{}].concat(series.map((s, i) => Object.assign({ stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true }, s))),
    }, extra || {});
  }

  window.Hvs = { el, api, ApiError, readKey, withReadKey, stream, poll, setConnection, levelBadge, fmtNumber, fmtTime, fmtDateTime, fmtDuration, fmtBytes, shortModule, chartOptions, PALETTE, LEVEL_ICONS };
})();
