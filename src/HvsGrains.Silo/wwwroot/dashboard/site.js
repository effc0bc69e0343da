// The site page: racks and modules by hazard level, hottest modules, propagation risk and alarms, live.
'use strict';

(function () {
  const { el, api, stream, levelBadge, fmtNumber, fmtTime, fmtDateTime, shortModule, LEVEL_ICONS } = window.Hvs;
  let snapshot = null;
  let acknowledging = null;
  // The operator key lives in this tab's memory only: never in localStorage, gone on reload.
  let operatorKey = '';
  const VERDICTS = { TrueAlarm: 'true alarm', FalseAlarm: 'false alarm', Test: 'test' };

  document.getElementById('legend').replaceChildren(
    ...['Normal', 'Watch', 'Warning', 'Critical'].map((l) => levelBadge(l)));

  function moduleCell(module) {
    const name = shortModule(module.moduleId, module.rackId);
    const temp = module.maxSurfaceTempC === null || module.maxSurfaceTempC === undefined ? '—' : fmtNumber(module.maxSurfaceTempC) + ' °C';
    return el('a', {
      class: 'cell level-' + module.level,
      href: '/dashboard/modules/' + encodeURIComponent(module.moduleId),
      'data-module': module.moduleId,
      'data-level': module.level,
      title: module.topReason || module.moduleId,
      'aria-label': `${module.moduleId}: ${module.level}, ${temp}${module.topReason ? ', ' + module.topReason : ''}`,
    },
    el('span', { class: 'cell-name', text: name }),
    el('span', { class: 'cell-level' }, el('span', { 'aria-hidden': 'true', text: LEVEL_ICONS[module.level] + ' ' }), module.level),
    el('span', { class: 'cell-temp', text: temp }));
  }

  function renderRacks(racks) {
    const box = document.getElementById('racks');
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.module : null;
    if (!racks.length) {
      box.replaceChildren(el('p', { class: 'empty', text: 'No module has reported yet.' }));
      return;
    }
    box.replaceChildren(...racks.map((rack) => {
      const hottest = rack.hottestModuleId
        ? `hottest ${shortModule(rack.hottestModuleId, rack.rackId)} ${fmtNumber(rack.hottestTempC)} °C` : 'no temperature yet';
      const prop = rack.propagation && rack.propagation.active
        ? el('div', { class: 'prop active', role: 'note' }, '⚠ Propagation risk: ',
          rack.propagation.modules.map((m) => shortModule(m, rack.rackId)).join(', '),
          rack.propagation.detail ? ' — ' + rack.propagation.detail : '')
        : el('div', { class: 'prop', text: 'No propagation risk' });
      return el('section', { class: 'card rack level-' + rack.level, 'data-rack': rack.rackId, 'aria-label': `Rack ${rack.rackId}, ${rack.level}` },
        el('header', {}, el('h3', { text: rack.rackId }), levelBadge(rack.level),
          el('span', { class: 'facts', text: `${rack.modules.length} modules · ${hottest}` })),
        prop,
        el('div', { class: 'cells' }, rack.modules.map(moduleCell)));
    }));
    if (focused) {
      const again = box.querySelector(`[data-module="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  function renderHottest(racks) {
    const modules = racks.flatMap((r) => r.modules).filter((m) => m.maxSurfaceTempC !== null && m.maxSurfaceTempC !== undefined)
      .sort((a, b) => b.maxSurfaceTempC - a.maxSurfaceTempC).slice(0, 8);
    const body = document.querySelector('#hottest tbody');
    body.replaceChildren(...(modules.length ? modules.map((m) => el('tr', {},
      el('td', {}, el('a', { href: '/dashboard/modules/' + encodeURIComponent(m.moduleId), text: m.moduleId })),
      el('td', {}, levelBadge(m.level)),
      el('td', { class: 'num', text: fmtNumber(m.maxSurfaceTempC) }),
      el('td', { class: 'num', text: fmtNumber(m.tempRateCPerMin, 2) }))) : [el('tr', {}, el('td', { colspan: 4, class: 'muted', text: 'No readings yet' }))]));
  }

  function renderPropagation(racks) {
    const list = document.getElementById('propagation');
    const active = racks.filter((r) => r.propagation && r.propagation.active);
    list.replaceChildren(...(active.length
      ? active.map((r) => el('li', {}, el('strong', { text: r.rackId + ': ' }), r.propagation.modules.join(', '),
        r.propagation.detail ? el('div', { class: 'muted', text: r.propagation.detail }) : null))
      : [el('li', { class: 'muted', text: `None of ${racks.length} racks shows neighbouring modules heating together.` })]));
  }

  function ackText(alarm) {
    const verdict = alarm.verdict ? ` · verdict: ${VERDICTS[alarm.verdict] || alarm.verdict}` : '';
    return (alarm.acknowledgedBy ? `Acknowledged by ${alarm.acknowledgedBy} at ${fmtDateTime(alarm.acknowledgedAt)}` : '—') + verdict;
  }

  // The server's AlarmOrder, for the one local change the page makes (an acknowledgement) before the next snapshot.
  const STATE_RANK = { Open: 0, Acknowledged: 1, Cleared: 2 };
  const LEVEL_RANK = { Normal: 0, Watch: 1, Warning: 2, Critical: 3 };
  function operatorOrder(x, y) {
    const byState = STATE_RANK[x.state] - STATE_RANK[y.state];
    if (byState) return byState;
    if (x.state === 'Cleared') return Date.parse(y.clearedAt) - Date.parse(x.clearedAt);
    return (LEVEL_RANK[y.level] - LEVEL_RANK[x.level]) || (Date.parse(y.raisedAt) - Date.parse(x.raisedAt)) || (x.id < y.id ? 1 : -1);
  }

  function subjectText(a) {
    if (a.kind === 'SensorFault') return ' (sensor advisory)';
    return '';
  }

  function renderAlarms(alarms) {
    const body = document.querySelector('#alarms tbody');
    if (!alarms.length) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'No alarms.' })));
      return;
    }
    body.replaceChildren(...alarms.map((a) => el('tr', {
      class: 'state-' + a.state + (a.state === 'Cleared' ? ' cleared' : ''),
      'data-alarm': a.id, 'data-alarm-subject': a.moduleId || a.rackId, 'data-state': a.state,
    },
    el('td', {}, levelBadge(a.level)),
    el('td', { class: 'mono', text: a.id }),
    el('td', {}, a.moduleId
      ? [el('a', { href: '/dashboard/modules/' + encodeURIComponent(a.moduleId), text: a.moduleId }), subjectText(a)]
      : `${a.rackId} (${a.kind === 'Propagation' ? 'propagation' : 'rack'})`),
    el('td', { text: a.reason }),
    el('td', { text: fmtDateTime(a.raisedAt), title: a.causeSeenAt ? `cause seen at ${fmtDateTime(a.causeSeenAt)} (sensor time)` : null }),
    el('td', { class: 'state', text: a.state === 'Cleared' ? `Cleared ${fmtTime(a.clearedAt)}` : a.state }),
    el('td', { class: 'ack', text: ackText(a) }),
    el('td', {}, a.state === 'Open'
      ? el('button', { type: 'button', class: 'btn small primary', 'data-ack': a.id, text: 'Acknowledge', onclick: () => openAck(a) })
      : null))));
  }

  function renderFeed(f) {
    if (!f) return;
    const text = (id, value) => { document.getElementById(id).textContent = value; };
    const or = (value, fmt) => (value === null || value === undefined ? '—' : fmt(value));
    text('feed-window', `rates and means over the last ${f.windowSeconds} s`);
    text('feed-accepted', String(f.readingsAccepted));
    text('feed-rate', or(f.readingsPerSecond, (v) => fmtNumber(v, 1) + ' /s'));
    text('feed-commit', or(f.logCommitMs, (v) => fmtNumber(v, 2) + ' ms'));
    text('feed-batch', or(f.readingsPerModelRun, (v) => fmtNumber(v, 1)));
    text('feed-wait', or(f.scoringWaitMs, (v) => fmtNumber(v, 2) + ' ms'));
    text('feed-model', f.model || '—');
  }

  function render(s) {
    snapshot = s;
    document.getElementById('site-id').textContent = s.siteId;
    document.getElementById('site-level').replaceChildren(levelBadge(s.level));
    document.getElementById('rack-count').textContent = s.rackCount;
    document.getElementById('module-count').textContent = s.moduleCount;
    document.getElementById('open-alarms').textContent = s.openAlarms;
    document.getElementById('ack-alarms').textContent = s.acknowledgedAlarms;
    document.title = `${s.level === 'Normal' ? '' : s.level + ' · '}Site · HvsGrains`;
    renderRacks(s.racks);
    renderHottest(s.racks);
    renderPropagation(s.racks);
    renderAlarms(s.alarms);
  }

  function renderWebhooks(endpoints) {
    const card = document.getElementById('webhooks');
    card.hidden = !endpoints.length;
    document.querySelector('#webhook-status tbody').replaceChildren(...endpoints.map((w) => el('tr', {
      'data-endpoint': w.endpoint, class: w.deadLettered > 0 || w.failedAttempts > 0 ? 'webhook-trouble' : '',
    },
    el('td', {}, el('strong', { text: w.endpoint }), el('div', { class: 'muted mono', text: w.url })),
    el('td', { class: 'num', text: String(w.delivered) }),
    el('td', { class: 'num', text: String(w.pending) }),
    el('td', { text: w.lastSuccessAt ? fmtDateTime(w.lastSuccessAt) : '—' }),
    el('td', {}, w.lastFailureAt ? `${fmtDateTime(w.lastFailureAt)}: ${w.lastFailure}` : '—',
      w.nextAttemptAt ? el('div', { class: 'muted', text: `retry ${w.failedAttempts + 1} at ${fmtTime(w.nextAttemptAt)}` }) : null),
    el('td', { class: 'num', text: String(w.deadLettered) }))));
  }

  // Delivery status changes slowly and is not part of the site stream: asked for every few seconds.
  async function refreshWebhooks() {
    try {
      renderWebhooks(await api('/api/v1/webhooks'));
    } catch {
      // the site stream shows the connection state; the panel keeps its last status
    }
  }

  // A candidate in shadow: one line under the model figures, asked for every few seconds. The catalog says first whether
  // one runs, so the page never asks for a comparison that is not there (a 404 would be a console error).
  async function refreshShadow() {
    const line = document.getElementById('shadow');
    try {
      if (!(await api('/api/v1/model')).catalog.shadow) {
        line.hidden = true;
        return;
      }
      const trial = await api('/api/v1/model/shadow');
      const c = trial.comparison;
      const share = (v) => (v === null || v === undefined ? '—' : fmtNumber(100 * v, 1) + ' %');
      document.getElementById('shadow-candidate').textContent = trial.shadow.candidate.version;
      document.getElementById('shadow-active').textContent = trial.activeVersion;
      document.getElementById('shadow-summary').textContent =
        `${c.counts.compared} readings compared, same level ${share(c.levelAgreement)}, same alarm ${share(c.alarmAgreement)}; ` +
        `first Warning: shadow earlier on ${c.warning.shadowEarlier}, later on ${c.warning.shadowLater}, ` +
        `shadow only ${c.warning.shadowOnly}, active only ${c.warning.activeOnly} modules; ${c.differencesSeen} differences (hvs model shadow lists them)`;
      line.hidden = false;
    } catch (e) {
      if (e.status === 404) line.hidden = true; // removed or promoted meanwhile; otherwise keep the last line
    }
  }

  const dialog = document.getElementById('ack-dialog');
  const nameInput = document.getElementById('ack-name');
  const ackError = document.getElementById('ack-error');
  const verdictInput = document.getElementById('ack-verdict');
  const keyBox = document.getElementById('ack-key-box');
  const keyInput = document.getElementById('ack-key');

  function openAck(alarm) {
    acknowledging = alarm;
    document.getElementById('ack-alarm').textContent = alarm.id;
    document.getElementById('ack-subject').textContent = `${alarm.moduleId || alarm.rackId}: ${alarm.reason}`;
    ackError.textContent = '';
    nameInput.value = localStorage.getItem('hvs.ackName') || '';
    verdictInput.value = '';
    keyInput.value = '';
    keyBox.hidden = !!operatorKey;
    keyInput.required = !operatorKey;
    dialog.showModal();
    nameInput.focus();
  }

  document.getElementById('ack-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('ack-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    const key = operatorKey || keyInput.value.trim();
    if (!name || !key || !acknowledging) return;
    const body = { operator: name };
    if (verdictInput.value) body.verdict = verdictInput.value;
    try {
      const updated = await api(`/api/v1/alarms/${encodeURIComponent(acknowledging.id)}/ack`, { method: 'POST', body, key });
      operatorKey = key;
      localStorage.setItem('hvs.ackName', name);
      dialog.close();
      if (snapshot) {
        const alarms = snapshot.alarms.map((a) => (a.id === updated.id ? updated : a)).sort(operatorOrder);
        render(Object.assign({}, snapshot, { alarms }));
      }
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        operatorKey = '';
        keyBox.hidden = false;
        keyInput.required = true;
        keyInput.value = '';
        ackError.textContent = 'Not acknowledged: that is not an operator key. Acknowledging takes the operator key (or the admin key).';
        keyInput.focus();
        return;
      }
      ackError.textContent = 'Not acknowledged: ' + e.message;
    }
  });

  window.Hvs.withReadKey(() => {
    // 'site' is the whole picture (the first event after every (re)connect, then each change the grains push);
    // 'feed' is this silo's feed and model figures.
    stream('/api/v1/stream/site', (name, data) => {
      if (name === 'site') render(data);
      else if (name === 'feed') renderFeed(data);
    });
    refreshWebhooks();
    setInterval(refreshWebhooks, 5000);
    refreshShadow();
    setInterval(refreshShadow, 10000);
  });
})();
