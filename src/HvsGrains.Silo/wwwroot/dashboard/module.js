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

  // The temperature chart also carries the max-surface forecast: dashed, with its interval as a shaded band.
  const FORECAST_SERIES = [
    { label: 'Forecast max surface', stroke: '#f5b14c', dash: [6, 4], width: 2 },
    { label: 'Forecast low', stroke: 'rgba(245,177,76,0.5)', dash: [2, 4], width: 1 },
    { label: 'Forecast high', stroke: 'rgba(245,177,76,0.5)', dash: [2, 4], width: 1 },
  ];

  function makeCharts() {
    for (const c of CHANNELS) {
      const id = 'chart-' + c.chart;
      const series = c.series.map(([, label]) => ({ label })).concat(c.chart === 'temp' ? FORECAST_SERIES : []);
      const n = c.series.length;
      const extra = c.chart === 'temp' ? { bands: [{ series: [n + 3, n + 2], fill: 'rgba(245,177,76,0.12)' }] } : undefined;
      const data = [[]].concat(series.map(() => []));
      charts[c.chart] = new uPlot(chartOptions(`${c.title} (${c.unit})`, chartWidth(id), series, c.unit, extra), data, document.getElementById(id));
    }
    charts.prob = new uPlot(chartOptions('Hazard probability', chartWidth('chart-prob'), [{ label: 'Probability' }], 'p',
      { scales: { x: { time: true }, y: { range: [0, 1] } } }), [[], []], document.getElementById('chart-prob'));
    window.__hvsCharts = charts; // read by the browser tests
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
      charts[c.chart].setData(c.chart === 'temp' ? withForecast(data) : data);
    }
    const p = probability.filter((x) => x[0] >= start);
    charts.prob.setData([p.map((x) => x[0]), p.map((x) => x[1])]);
    document.getElementById('prob-note').textContent = status && status.modelOutOfDomain
      ? `Model ${status.modelVersion || ''} is out of its domain: ${status.modelOutOfDomain}.`
      : status && status.hazardProbability !== null && status.hazardProbability !== undefined
        ? `Model ${status.modelVersion || ''}: probability as scored live since this page opened.`
        : 'No model loaded (rules only): levels come from the deterministic safety rules.';
  }

  // Appends the forecast's points after the readings: null where a series has no value (uPlot needs one x array).
  function withForecast(data) {
    const f = status && status.forecast;
    const box = document.getElementById('chart-temp');
    if (!f || !f.points || !f.points.length) {
      box.dataset.forecastPoints = '0';
      return data.concat(FORECAST_SERIES.map(() => data[0].map(() => null)));
    }
    const start = Date.parse(f.issuedAt) / 1000;
    const points = [{ t: start, e: f.currentC, lo: f.currentC, hi: f.currentC }]
      .concat(f.points.map((p) => ({ t: Date.parse(p.at) / 1000, e: p.expectedC, lo: p.lowC, hi: p.highC })));
    const readingsX = data[0];
    const x = readingsX.concat(points.filter((p) => !readingsX.length || p.t > readingsX[readingsX.length - 1]).map((p) => p.t));
    const at = new Map(points.map((p) => [p.t, p]));
    const out = [x].concat(data.slice(1).map((ys) => x.map((_, i) => (i < ys.length ? ys[i] : null))));
    for (const key of ['e', 'lo', 'hi']) out.push(x.map((t) => (at.has(t) ? at.get(t)[key] : null)));
    box.dataset.forecastPoints = String(f.points.length);
    return out;
  }

  function renderForecastNote(s) {
    const note = document.getElementById('forecast-note');
    const f = s && s.forecast;
    if (!f) {
      note.textContent = 'No forecast yet: it needs 5 minutes of readings (or forecasts are off).';
      return;
    }
    const last = f.points[f.points.length - 1];
    const parts = [`Forecast (${f.trend.toLowerCase()}, ${fmtNumber(f.rateCPerMin, 2)} °C/min): ${fmtNumber(last.expectedC)} °C in ${last.minutes} min (${Math.round(f.coverage * 100)} % interval ${fmtNumber(last.lowC)}–${fmtNumber(last.highC)} °C).`];
    for (const t of s.timeToThresholds || []) {
      const what = `${t.level} (${t.rule} ${fmtNumber(t.thresholdC, 0)} °C)`;
      if (t.reached) parts.push(`${what}: reached.`);
      else if (t.minutes !== null && t.minutes !== undefined) parts.push(`${what} in about ${fmtNumber(t.minutes)} min` + (t.earliestMinutes !== null && t.earliestMinutes !== undefined ? `, at the earliest ${fmtNumber(t.earliestMinutes)} min.` : '.'));
    }
    if (parts.length === 1) parts.push('No threshold expected to be reached.');
    note.textContent = parts.join(' ');
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
      ['Anomaly', s.anomalyScore === null || s.anomalyScore === undefined ? 'no score' : fmtNumber(s.anomalyScore, 3) + (s.anomaly ? ` — advisory: pattern unlike normal operation (threshold ${fmtNumber(s.anomaly.threshold, 3)})` : '')],
      ['Hazard probability', s.modelOutOfDomain ? 'model out of its domain' : s.hazardProbability === null || s.hazardProbability === undefined ? 'rules only' : fmtNumber(s.hazardProbability, 3)],
    ];
    document.getElementById('module-latest').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: v }))));
    renderForecastNote(s);

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
