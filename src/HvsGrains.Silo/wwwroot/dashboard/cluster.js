// The cluster page: silos, activations, grain calls and latency, mailboxes, ingest and scoring,
// all read from the silo's meters through /api/v1/cluster.
'use strict';

(function () {
  const { el, api, poll, fmtNumber, fmtDuration, fmtBytes, fmtDateTime, chartOptions } = window.Hvs;
  const charts = {};

  function chartWidth(id) {
    const box = document.getElementById(id);
    return Math.max(280, box.clientWidth || box.parentElement.clientWidth - 32);
  }

  // (Re)creates a chart when its series change, else updates its data.
  function plot(name, title, unit, labels, data, extra) {
    const id = 'chart-' + name;
    const key = labels.join('|');
    const existing = charts[name];
    if (existing && existing.key === key) {
      existing.chart.setData(data);
      return;
    }
    if (existing) existing.chart.destroy();
    const chart = new uPlot(chartOptions(title, chartWidth(id), labels.map((label) => ({ label })), unit, extra), data, document.getElementById(id));
    charts[name] = { chart, key };
  }

  function ms(value) { return value === null || value === undefined ? '—' : fmtNumber(value, value < 10 ? 2 : 1) + ' ms'; }

  function rows(tbody, items, render, empty, columns) {
    document.querySelector(tbody).replaceChildren(...(items.length ? items.map(render)
      : [el('tr', {}, el('td', { colspan: columns, class: 'muted', text: empty }))]));
  }

  function render(c) {
    const h = c.history;
    const t = h.at;
    const callsNow = Object.values(h.callsPerSecond).reduce((sum, series) => sum + (series[series.length - 1] || 0), 0);
    document.getElementById('silo-count').textContent = '1';
    document.getElementById('total-activations').textContent = c.totalActivations;
    document.getElementById('calls-rate').textContent = fmtNumber(c.methods.reduce((s, m) => s + m.callsPerSecond, 0), 1);
    document.getElementById('failures').textContent = c.methods.reduce((s, m) => s + m.failuresLastMinute, 0);
    document.getElementById('ingest-rate').textContent = fmtNumber(c.ingest.acceptedPerSecond, 1);
    document.getElementById('commit-p99').textContent = ms(c.ingest.logCommit.p99Ms);
    document.getElementById('backlog').textContent = c.ingest.backlog;
    document.getElementById('model').textContent = c.scoring.loaded ? c.scoring.modelVersion : 'no model loaded (rules only)';
    document.getElementById('calls-rate').title = `${fmtNumber(callsNow, 1)} in the last second`;

    const s = c.silo;
    rows('#silos tbody', [s], () => el('tr', { 'data-silo': s.id },
      el('td', { class: 'mono', text: s.id }), el('td', { text: s.hostName }), el('td', { text: s.status }),
      el('td', { text: fmtDateTime(s.startedAt) }), el('td', { class: 'num', text: fmtDuration(s.uptimeSeconds) }),
      el('td', { class: 'num', text: `${fmtNumber(s.cpuPercent, 1)} % of ${s.processorCount} cores` }),
      el('td', { class: 'num', text: fmtBytes(s.workingSetBytes) }), el('td', { class: 'num', text: fmtBytes(s.gcHeapBytes) })), '', 8);

    rows('#activations tbody', c.activations, (a) => el('tr', { 'data-grain-type': a.grainType },
      el('td', { text: a.grainType }), el('td', { class: 'num activation-count', text: String(a.count) })), 'No activations yet', 2);

    const mailbox = Object.fromEntries(c.mailboxes.map((m) => [m.grainType, m]));
    rows('#latency tbody', c.turnLatency, (l) => el('tr', {},
      el('td', { text: l.grainType }),
      el('td', { class: 'num', text: String(mailbox[l.grainType] ? mailbox[l.grainType].depth : 0) }),
      el('td', { class: 'num', text: String(mailbox[l.grainType] ? mailbox[l.grainType].maxDepth : 0) }),
      el('td', { class: 'num', text: String(l.turns) }),
      el('td', { class: 'num', text: fmtNumber(l.meanMs, 3) }), el('td', { class: 'num', text: fmtNumber(l.p50Ms, 3) }),
      el('td', { class: 'num', text: fmtNumber(l.p99Ms, 3) })), 'No turns yet', 7);

    rows('#methods tbody', c.methods, (m) => el('tr', { class: m.failuresLastMinute ? 'state-Open' : '' },
      el('td', { text: m.grainType }), el('td', { class: 'mono', text: m.method }),
      el('td', { class: 'num', text: String(m.calls) }), el('td', { class: 'num', text: fmtNumber(m.callsPerSecond, 2) }),
      el('td', { class: 'num', text: String(m.failures) }), el('td', { class: 'num', text: String(m.failuresLastMinute) }),
      el('td', { class: 'num', text: fmtNumber(m.meanMs, 3) }), el('td', { class: 'num', text: fmtNumber(m.p99Ms, 3) })), 'No grain calls yet', 8);

    const facts = [
      ['Accepted readings', c.ingest.accepted], ['Duplicates', c.ingest.duplicates], ['Rejected', c.ingest.rejected],
      ['Accepted/s (10 s)', fmtNumber(c.ingest.acceptedPerSecond, 1)], ['Log commits (1 min)', c.ingest.logCommit.count],
      ['Commit mean', ms(c.ingest.logCommit.meanMs)], ['Commit p99', ms(c.ingest.logCommit.p99Ms)], ['Backlog', `${c.ingest.backlog} queued turns`],
      ['Model', c.scoring.note], ['Scoring p99', ms(c.scoring.latency.p99Ms)], ['Scorings (1 min)', c.scoring.latency.count], ['Refusals', c.scoring.refusals + (c.scoring.refusals ? ' (' + Object.entries(c.scoring.refusalsByReason).map(([r, n]) => `${r}: ${n}`).join(', ') + ')' : '')],
    ];
    document.getElementById('ingest').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: String(v) }))));

    const types = Object.keys(h.activations);
    plot('activations', 'Activations by grain type', 'activations', types, [t, ...types.map((k) => h.activations[k])]);
    const methods = Object.keys(h.callsPerSecond);
    plot('calls', 'Grain calls/s by method', 'calls/s', methods.concat(['failures/s']), [t, ...methods.map((k) => h.callsPerSecond[k]), h.failuresPerSecond]);
    const turnTypes = Object.keys(h.turnP99Ms);
    plot('latency', 'Turn latency p99 by grain type', 'ms', turnTypes, [t, ...turnTypes.map((k) => h.turnP99Ms[k])]);
    plot('ingest', 'Ingest rate and log commit p99', 'readings/s', ['accepted/s', 'commit p99 (ms)'], [t, h.ingestPerSecond, h.logCommitP99Ms],
      { series: [{}, { label: 'accepted/s', stroke: '#4aa3ff', width: 1.5 }, { label: 'commit p99 (ms)', stroke: '#f0812b', width: 1.5, scale: 'ms', spanGaps: true }],
        axes: [{ stroke: '#8b98a9', grid: { stroke: '#243040' } }, { stroke: '#8b98a9', grid: { stroke: '#243040' }, label: 'readings/s', size: 60 },
          { stroke: '#f0812b', scale: 'ms', side: 1, grid: { show: false }, label: 'ms', size: 50 }] });
    const mailboxTypes = Object.keys(h.mailboxDepth);
    plot('mailbox', 'Mailbox depth by grain type', 'queued', mailboxTypes, [t, ...mailboxTypes.map((k) => h.mailboxDepth[k])]);
    plot('process', 'Silo CPU and memory', 'CPU %', ['CPU %', 'working set (MB)', 'GC heap (MB)'], [t, h.cpuPercent, h.workingSetMb, h.gcHeapMb],
      { series: [{}, { label: 'CPU %', stroke: '#4aa3ff', width: 1.5 }, { label: 'working set (MB)', stroke: '#2ec4b6', width: 1.5, scale: 'mb' },
        { label: 'GC heap (MB)', stroke: '#c77dff', width: 1.5, scale: 'mb' }],
        axes: [{ stroke: '#8b98a9', grid: { stroke: '#243040' } }, { stroke: '#8b98a9', grid: { stroke: '#243040' }, label: 'CPU %', size: 60 },
          { stroke: '#2ec4b6', scale: 'mb', side: 1, grid: { show: false }, label: 'MB', size: 60 }] });
  }

  window.Hvs.withReadKey(() => {
    poll(async () => render(await api('/api/v1/cluster?minutes=10')), 2000);
    window.addEventListener('resize', () => {
      for (const [name, c] of Object.entries(charts)) c.chart.setSize({ width: chartWidth('chart-' + name), height: 220 });
    });
  });
})();
