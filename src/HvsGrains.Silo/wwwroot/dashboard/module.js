// A module's page: level and why, latest reading, and live charts over a selectable window.
'use strict';

(function () {
  const { el, api, stream, levelBadge, fmtNumber, fmtDateTime, chartOptions } = window.Hvs;
  const moduleId = decodeURIComponent(location.pathname.split('/').pop());
  const CHANNELS = [
    { chart: 'temp', title: 'Temperatures', unit: '°C', series: [['maxSurfaceTempC', 'Max surface'], ['avgSurfaceTempC', 'Avg surface'], ['ambientTempC', 'Ambient']] },
    { chart: 'gas', title: 'Off-gas', unit: 'ppm', series: [['coPpm', 'CO'], ['h2Ppm', 'H₂'], ['vocPpm', 'VOC']] },
    { chart: 'voltage', title: 'Voltage', unit: 'V', series: [['voltageV', 'Voltage']] },
    { chart: 'current', title: 'Current', unit: 'A', series: [['currentA', 'Current']] },
  ];
  let windowSeconds = Number(localStorage.getItem('hvs.window') || 3600);
  let readings = [];
  const probability = [];
  const charts = {};
  let status = null;

  document.getElementById('module-id').textContent = moduleId;
  document.title = `${moduleId} · HvsGrains`;

  function chartWidth(id) {
    const box = document.getElementById(id);
    return Math.max(280, box.clientWidth || box.parentElement.clientWidth - 32);
  }

  function makeCharts() {
    for (const c of CHANNELS) {
      const id = 'chart-' + c.chart;
      const data = [[]].concat(c.series.map(() => []));
      charts[c.chart] = new uPlot(chartOptions(`${c.title} (${c.unit})`, chartWidth(id), c.series.map(([, label]) => ({ label })), c.unit), data, document.getElementById(id));
    }
    charts.prob = new uPlot(chartOptions('Hazard probability', chartWidth('chart-prob'), [{ label: 'Probability' }], 'p',
      { scales: { x: { time: true }, y: { range: [0, 1] } } }), [[], []], document.getElementById('chart-prob'));
    window.addEventListener('resize', () => {
      for (const [name, chart] of Object.entries(charts)) chart.setSize({ width: chartWidth('chart-' + name), height: 220 });
    });
  }

  function endOfWindow() {
    const latest = status && status.latestReading ? Date.parse(status.latestReading.timestamp) : Date.now();
    return Number.isFinite(latest) ? latest : Date.now();
  }

  function redraw() {
    const end = endOfWindow() / 1000;
    const start = end - windowSeconds;
    const shown = readings.filter((r) => r.t >= start);
    for (const c of CHANNELS) {
      const data = [shown.map((r) => r.t)].concat(c.series.map(([field]) => shown.map((r) => (r.v[field] === undefined ? null : r.v[field]))));
      charts[c.chart].setData(data);
    }
    const p = probability.filter((x) => x[0] >= start);
    charts.prob.setData([p.map((x) => x[0]), p.map((x) => x[1])]);
    document.getElementById('prob-note').textContent = status && status.modelOutOfDomain
      ? `Model ${status.modelVersion || ''} is out of its domain: ${status.modelOutOfDomain}.`
      : status && status.hazardProbability !== null && status.hazardProbability !== undefined
        ? `Model ${status.modelVersion || ''}: probability as scored live since this page opened.`
        : 'No model loaded (rules only): levels come from the deterministic safety rules.';
  }

  async function loadHistory() {
    const end = endOfWindow();
    const from = new Date(end - windowSeconds * 1000).toISOString();
    const to = new Date(end + 1000).toISOString();
    const history = await api(`/api/v1/modules/${encodeURIComponent(moduleId)}/readings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=10000`);
    readings = history.readings.map((r) => ({ t: Date.parse(r.reading.timestamp) / 1000, v: r.reading }));
    redraw();
  }

  function renderStatus(s) {
    status = s;
    if (!s) {
      document.getElementById('module-level').replaceChildren(el('span', { class: 'muted', text: 'has not reported yet' }));
      return;
    }
    document.getElementById('module-level').replaceChildren(levelBadge(s.level));
    const rackLink = document.getElementById('rack-link');
    rackLink.textContent = `← site (rack ${s.rackId})`;
    document.getElementById('module-explanation').textContent = s.explanation || '';
    document.getElementById('module-reasons').replaceChildren(...(s.reasons || []).map((r) =>
      el('li', {}, levelBadge(r.level), ' ', el('strong', { text: r.rule }), ': ', r.detail)));
    const r = s.latestReading || {};
    const facts = [
      ['Evaluated', fmtDateTime(s.evaluatedAt)], ['Latest reading', fmtDateTime(r.timestamp)],
      ['Max surface', fmtNumber(r.maxSurfaceTempC) + ' °C'], ['Avg surface', fmtNumber(r.avgSurfaceTempC) + ' °C'],
      ['Ambient', fmtNumber(r.ambientTempC) + ' °C'], ['Voltage', fmtNumber(r.voltageV, 2) + ' V'],
      ['Current', fmtNumber(r.currentA, 1) + ' A'], ['SoC', fmtNumber(r.socPercent, 0) + ' %'],
      ['CO', fmtNumber(r.coPpm) + ' ppm'], ['H₂', fmtNumber(r.h2Ppm) + ' ppm'], ['VOC', fmtNumber(r.vocPpm) + ' ppm'],
      ['Sensor faults', (s.sensorFaults || []).length ? s.sensorFaults.map((f) => `${f.channel}: ${f.reason}`).join('; ') : 'none'],
      ['Hazard probability', s.modelOutOfDomain ? 'model out of its domain' : s.hazardProbability === null || s.hazardProbability === undefined ? 'rules only' : fmtNumber(s.hazardProbability, 3)],
    ];
    document.getElementById('module-latest').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: v }))));

    if (r.timestamp) {
      const t = Date.parse(r.timestamp) / 1000;
      if (!readings.length || readings[readings.length - 1].t < t) readings.push({ t, v: r });
      if (s.hazardProbability !== null && s.hazardProbability !== undefined && (!probability.length || probability[probability.length - 1][0] < t)) {
        probability.push([t, s.hazardProbability]);
      }
    }
    redraw();
  }

  function pickWindow(seconds) {
    windowSeconds = seconds;
    localStorage.setItem('hvs.window', String(seconds));
    for (const b of document.querySelectorAll('[data-window]')) b.setAttribute('aria-pressed', String(Number(b.dataset.window) === seconds));
    loadHistory().catch(() => { /* the stream shows the connection state */ });
  }

  window.Hvs.withReadKey(async () => {
    makeCharts();
    for (const b of document.querySelectorAll('[data-window]')) b.addEventListener('click', () => pickWindow(Number(b.dataset.window)));
    let first = true;
    stream(`/api/v1/stream/modules/${encodeURIComponent(moduleId)}`, (name, data) => {
      if (name !== 'module') return;
      renderStatus(data);
      if (first) { first = false; pickWindow(windowSeconds); }
    });
  });
})();
