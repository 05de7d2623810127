// Chainlink console: the job API in a page. Everything the API returns is untrusted (stage output
// is students' output; a tenant or an error can say anything): it reaches the page through
// textContent and attributes only, never as markup. The token lives in this tab's sessionStorage
// and travels only in the Authorization header.
'use strict';

(() => {
  const TOKEN_KEY = 'chainlink.token';
  const PAGE_SIZE = 20;
  const JOB_POLL_MS = 1000;
  const LIST_POLL_MS = 5000;
  const FLEET_POLL_MS = 5000;
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'ERROR', 'CANCELLED']);
  const STAGE_ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'ERROR']);
  const PHASES = ['image', 'create', 'start', 'run', 'collect'];

  const $ = (id) => document.getElementById(id);

  /** null: not signed in; '': the service is open and needs no token; else the client's token. */
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class ApiError extends Error {
    constructor(problem) {
      super(problem.title);
      this.problem = problem;
    }
  }

  /** One request, whatever it answers; a network failure becomes a problem of our own. */
  async function send(path, options = {}, presented = token()) {
    const headers = new Headers(options.headers || {});
    if (presented) {
      headers.set('Authorization', 'Bearer ' + presented);
    }
    try {
      return await fetch(path, { ...options, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    } catch (e) {
      throw new ApiError({ title: 'The service could not be reached', detail: String(e && e.message) });
    }
  }

  /** A request that must succeed: any other answer is thrown as its problem. */
  async function api(path, options = {}, presented = token()) {
    const response = await send(path, options, presented);
    if (!response.ok) {
      throw new ApiError(await problemOf(response));
    }
    return response;
  }

  /**
   * An RFC 9457 problem's title, detail and errors. A body that is not JSON (a proxy's page) is
   * never shown: only its status.
   */
  async function problemOf(response) {
    const fallback = { status: response.status, title: 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '') };
    if (!(response.headers.get('Content-Type') || '').includes('json')) {
      return fallback;
    }
    try {
      const body = await response.json();
      if (!body || typeof body !== 'object') {
        return fallback;
      }
      return {
        status: response.status,
        title: typeof body.title === 'string' ? body.title : fallback.title,
        detail: typeof body.detail === 'string' ? body.detail : '',
        errors: Array.isArray(body.errors) ? body.errors : [],
      };
    } catch (e) {
      return fallback;
    }
  }

  function showProblem(element, problem) {
    const title = document.createElement('strong');
    title.textContent = problem.title + (problem.status ? ' (' + problem.status + ')' : '');
    element.replaceChildren(title);
    if (problem.detail) {
      const detail = document.createElement('span');
      detail.className = 'detail';
      detail.textContent = problem.detail;
      element.append(detail);
    }
    if (problem.errors && problem.errors.length) {
      const list = document.createElement('ul');
      for (const error of problem.errors) {
        const item = document.createElement('li');
        item.textContent = error && typeof error === 'object'
          ? [error.field, error.message].filter((part) => part != null).join(': ')
          : String(error);
        list.append(item);
      }
      element.append(list);
    }
    element.hidden = false;
  }

  function hideProblem(element) {
    element.hidden = true;
    element.replaceChildren();
  }

  // ---- formatting ----

  function duration(ms) {
    if (ms == null || !isFinite(ms)) {
      return '';
    }
    if (ms < 1000) {
      return Math.max(0, Math.round(ms)) + ' ms';
    }
    const s = ms / 1000;
    if (s < 60) {
      return (s < 10 ? s.toFixed(1) : Math.round(s)) + ' s';
    }
    const m = Math.floor(s / 60);
    if (m < 60) {
      return m + ' min ' + Math.floor(s % 60) + ' s';
    }
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  const time = (iso) => (iso ? Date.parse(iso) : null);
  const age = (iso) => duration(Date.now() - time(iso)) + ' ago';

  /** How long a job or stage ran, or has been running; for a queued job, how long it has waited. */
  function span(item) {
    if (item.startedAt) {
      const ms = (item.finishedAt ? time(item.finishedAt) : Date.now()) - time(item.startedAt);
      return item.finishedAt ? duration(ms) : 'running ' + duration(ms);
    }
    if (item.status === 'QUEUED' && item.createdAt) {
      return 'queued ' + duration(Date.now() - time(item.createdAt));
    }
    return '';
  }

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text != null) {
      element.textContent = String(text);
    }
    return element;
  }

  function statusBadge(element, status) {
    element.textContent = String(status);
    element.className = element.className.split(' ').filter((c) => c === 'status' || c.endsWith('-status')).join(' ');
    element.classList.add('status', String(status));
  }

  // ---- views and polling ----

  // Each route starts a new view; async work of an older one sees it is stale and stops.
  let view = 0;
  let timer = null;

  function schedule(mine, ms, work) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (mine !== view) {
        return;
      }
      if (document.hidden) {
        schedule(mine, ms, work);
        return;
      }
      work();
    }, ms);
  }

  function show(section) {
    for (const id of ['sign-in', 'jobs', 'job']) {
      $(id).hidden = id !== section;
    }
  }

  function route() {
    view += 1;
    clearTimeout(timer);
    if (token() === null) {
      showSignIn();
      return;
    }
    const hash = location.hash.replace(/^#/, '') || '/';
    const job = /^\/jobs\/([^/?]+)$/.exec(hash);
    if (job) {
      let id;
      try {
        id = decodeURIComponent(job[1]);
      } catch (e) {
        id = job[1];
      }
      showJob(id, view);
    } else {
      showList(new URLSearchParams(hash.split('?')[1] || ''), view);
    }
  }

  /** The API answered 401 to a signed-in tab: the token is no longer one of the clients. */
  function signedOut(problem) {
    sessionStorage.removeItem(TOKEN_KEY);
    stopFleet();
    view += 1;
    showSignIn(problem);
  }

  function failed(error, element) {
    if (!(error instanceof ApiError)) {
      throw error;
    }
    if (error.problem.status === 401) {
      signedOut(error.problem);
    } else {
      showProblem(element, error.problem);
    }
  }

  // ---- sign in ----

  async function showSignIn(problem) {
    show('sign-in');
    $('sign-out').hidden = true;
    $('who').textContent = '';
    $('fleet').hidden = true;
    if (problem) {
      showProblem($('sign-in-problem'), problem);
    } else {
      hideProblem($('sign-in-problem'));
    }
    $('token').focus();
    // A service with no clients answers without a token: then the user may go on without one.
    try {
      const response = await send('/api/v1/jobs?limit=1', {}, null);
      $('open-use').hidden = !response.ok;
    } catch (e) {
      $('open-use').hidden = true;
    }
  }

  async function signIn(presented) {
    const button = $('token-submit');
    button.disabled = true;
    try {
      await api('/api/v1/jobs?limit=1', {}, presented);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        throw e;
      }
      showProblem($('sign-in-problem'), e.problem);
      return;
    } finally {
      button.disabled = false;
    }
    sessionStorage.setItem(TOKEN_KEY, presented);
    $('token').value = '';
    hideProblem($('sign-in-problem'));
    await startSession();
    route();
  }

  // ---- who is signed in, and the fleet for admins ----

  let admin = false;
  let fleetTimer = null;

  async function startSession() {
    $('sign-out').hidden = false;
    // Health shows its components to admins only (show-details=when-authorized): that is how
    // the console learns the caller may see every tenant. It answers 503 with a body when the
    // engine is down, so any JSON answer counts.
    admin = false;
    try {
      const response = await send('/actuator/health');
      const body = (response.headers.get('Content-Type') || '').includes('json') ? await response.json() : null;
      admin = !!(body && body.components);
    } catch (e) {
      admin = false;
    }
    $('who').textContent = token() === '' ? 'open use: local admin' : (admin ? 'signed in: admin (every tenant)' : 'signed in');
    $('filter-tenant-label').hidden = !admin;
    stopFleet();
    if (admin) {
      await fleet();
      fleetTimer = setInterval(() => {
        if (!document.hidden) {
          fleet();
        }
      }, FLEET_POLL_MS);
    }
  }

  function stopFleet() {
    clearInterval(fleetTimer);
    fleetTimer = null;
    $('fleet').hidden = true;
  }

  async function gauge(name) {
    const response = await send('/actuator/metrics/' + name);
    if (response.status !== 200) {
      return null;
    }
    const body = await response.json();
    const value = body && Array.isArray(body.measurements) && body.measurements.find((m) => m.statistic === 'VALUE');
    return value && typeof value.value === 'number' ? value.value : null;
  }

  /** Queue depth and workers, shown only while the metrics endpoint answers this caller 200. */
  async function fleet() {
    try {
      const [depth, busy, size] = await Promise.all(
        ['chainlink.queue.depth', 'chainlink.workers.busy', 'chainlink.workers.size'].map(gauge));
      const answered = depth != null && busy != null && size != null;
      $('fleet').hidden = !answered;
      if (answered) {
        // The depth is NaN until the service has first counted the queue.
        const shown = (n) => (isFinite(n) ? String(n) : '—');
        $('fleet').textContent = 'queue ' + shown(depth) + ' · workers ' + shown(busy) + '/' + shown(size) + ' busy';
      }
    } catch (e) {
      $('fleet').hidden = true;
    }
  }

  // ---- the list ----

  // The pages before this one, so that "Newer" can go back: each is the `after` it was read with.
  let newer = [];

  function listHash(params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value) {
        query.set(key, value);
      }
    }
    const text = query.toString();
    return '#/' + (text ? '?' + text : '');
  }

  function showList(query, mine) {
    show('jobs');
    const status = query.get('status') || '';
    const tenant = admin ? (query.get('tenant') || '') : '';
    const after = query.get('after') || '';
    $('filter-status').value = status;
    $('filter-tenant').value = tenant;
    hideProblem($('jobs-problem'));
    const go = (params) => {
      location.hash = listHash({ status, tenant, ...params });
    };
    $('page-first').onclick = () => {
      newer = [];
      go({ after: '' });
    };
    $('page-prev').onclick = () => go({ after: newer.pop() || '' });
    $('page-first').disabled = !after;
    $('page-prev').disabled = !after;
    $('page-next').disabled = true;
    $('refresh').onclick = () => loadList();

    const loadList = async () => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (status) params.set('status', status);
      if (tenant) params.set('tenant', tenant);
      if (after) params.set('after', after);
      try {
        const page = await (await api('/api/v1/jobs?' + params)).json();
        if (mine !== view) {
          return;
        }
        hideProblem($('jobs-problem'));
        renderRows(page.jobs || []);
        $('page-next').disabled = !page.next;
        $('page-next').onclick = () => {
          newer.push(after);
          go({ after: page.next });
        };
      } catch (e) {
        if (mine !== view) {
          return;
        }
        failed(e, $('jobs-problem'));
        if (e.problem && e.problem.status === 401) {
          return;
        }
      }
      schedule(mine, LIST_POLL_MS, loadList);
    };
    loadList();
  }

  function renderRows(jobs) {
    const rows = jobs.map((job) => {
      const row = el('tr');
      row.dataset.job = String(job.id);
      const link = el('a', 'mono', job.id);
      link.href = '#/jobs/' + encodeURIComponent(String(job.id));
      const idCell = el('td');
      idCell.append(link);
      const statusCell = el('td');
      const badge = el('span', 'status');
      statusBadge(badge, job.status);
      statusCell.append(badge);
      const submitted = el('td', null, age(job.createdAt));
      submitted.title = String(job.createdAt);
      row.append(idCell, statusCell, el('td', null, job.tenant), submitted, el('td', null, span(job)),
        el('td', 'error', job.error || ''));
      return row;
    });
    $('job-rows').replaceChildren(...rows);
    $('no-jobs').hidden = jobs.length > 0;
  }

  // ---- one job ----

  function showJob(id, mine) {
    show('job');
    $('job-id').textContent = id;
    $('job-status').textContent = '';
    $('job-facts').replaceChildren();
    $('job-error').hidden = true;
    $('cancel').hidden = true;
    $('cancel-outcome').textContent = '';
    hideProblem($('job-problem'));
    $('timeline').replaceChildren();
    $('stages').replaceChildren();
    const base = '/api/v1/jobs/' + encodeURIComponent(id);
    // What was read of each stage: its streams, and whether they were read after the stage ended.
    const stages = [];
    let results = null;
    let resultsEnded = -1;
    let current = null;

    $('cancel').onclick = async () => {
      $('cancel').disabled = true;
      $('cancel-outcome').textContent = 'cancelling…';
      try {
        const response = await api(base + '/cancel', { method: 'POST' });
        if (mine === view) {
          $('cancel-outcome').textContent = response.status === 200 ? 'cancelled' : 'stopping…';
        }
      } catch (e) {
        if (mine === view) {
          $('cancel-outcome').textContent = '';
          failed(e, $('job-problem'));
        }
      } finally {
        $('cancel').disabled = false;
      }
    };
    $('show-timestamps').onchange = () => stages.forEach((stage, i) => current && renderStreams(stage, i));

    const load = async () => {
      let job;
      try {
        job = await (await api(base)).json();
      } catch (e) {
        if (mine === view) {
          failed(e, $('job-problem'));
          if (e.problem && e.problem.status !== 401 && e.problem.status !== 404) {
            schedule(mine, JOB_POLL_MS * 5, load);
          }
        }
        return;
      }
      if (mine !== view) {
        return;
      }
      hideProblem($('job-problem'));
      current = job;
      renderJob(job);
      const jobStages = Array.isArray(job.stages) ? job.stages : [];
      const ended = jobStages.filter((stage) => STAGE_ENDED.has(stage.status)).length;
      if (ended !== resultsEnded) {
        try {
          results = await (await api(base + '/results')).json();
          resultsEnded = ended;
        } catch (e) {
          results = null;
        }
      }
      await Promise.all(jobStages.map((stage, i) => readStreams(stage, i)));
      if (mine !== view) {
        return;
      }
      jobStages.forEach((stage, i) => renderStage(stage, i));
      renderTimeline(job);
      if (!TERMINAL.has(job.status)) {
        schedule(mine, JOB_POLL_MS, load);
      }
    };

    /** A running stage's streams are read at every poll; an ended one's once more, then kept. */
    async function readStreams(stage, i) {
      const known = stages[i] || (stages[i] = { stdout: null, stderr: null, final: false, problem: null });
      if (known.final || stage.status === 'PENDING' || stage.status === 'SKIPPED') {
        return;
      }
      const ended = STAGE_ENDED.has(stage.status);
      try {
        const [stdout, stderr] = await Promise.all(['stdout', 'stderr'].map(async (stream) =>
          (await api(base + '/stages/' + i + '/logs/' + stream)).text()));
        known.stdout = stdout;
        known.stderr = stderr;
        known.problem = null;
        known.final = ended;
      } catch (e) {
        if (!(e instanceof ApiError)) {
          throw e;
        }
        known.problem = e.problem;
        known.final = ended && e.problem.status === 404;
      }
    }

    function renderJob(job) {
      statusBadge($('job-status'), job.status);
      const facts = [
        ['tenant', job.tenant],
        ['submitted', job.createdAt ? job.createdAt + ' (' + age(job.createdAt) + ')' : ''],
        ['started', job.startedAt || '—'],
        ['finished', job.finishedAt || '—'],
        ['duration', span(job) || '—'],
        ['attempt', job.attempt],
      ];
      $('job-facts').replaceChildren(...facts.flatMap(([name, value]) => [el('dt', null, name), el('dd', null, value)]));
      $('job-error').hidden = !job.error;
      $('job-error').textContent = job.error ? 'error: ' + job.error : '';
      $('cancel').hidden = !(job.status === 'QUEUED' || job.status === 'RUNNING');
    }

    function renderTimeline(job) {
      const jobStages = Array.isArray(job.stages) ? job.stages : [];
      const total = (stage) => {
        if (stage.timings) {
          return PHASES.reduce((sum, phase) => sum + (Number(stage.timings[phase]) || 0), 0);
        }
        if (stage.startedAt) {
          return (stage.finishedAt ? time(stage.finishedAt) : Date.now()) - time(stage.startedAt);
        }
        return 0;
      };
      const longest = Math.max(1, ...jobStages.map(total));
      const rows = jobStages.map((stage, i) => {
        const row = el('div', 'row');
        row.append(el('span', 'label', '#' + i + ' ' + stage.image));
        const bar = el('div', 'bar');
        const filled = el('div', 'bar');
        filled.style.width = (100 * total(stage) / longest) + '%';
        if (stage.timings) {
          for (const phase of PHASES) {
            const ms = Number(stage.timings[phase]) || 0;
            const segment = el('span', 'phase ' + phase);
            segment.style.flex = ms + ' 0 0';
            segment.title = phase + ' ' + duration(ms);
            filled.append(segment);
          }
        } else if (stage.startedAt) {
          const segment = el('span', 'phase ' + (stage.finishedAt ? 'run' : 'live'));
          segment.style.flex = '1 0 0';
          segment.title = stage.finishedAt ? 'run' : 'running';
          filled.append(segment);
        }
        bar.append(filled);
        row.append(bar);
        let numbers;
        if (stage.timings) {
          numbers = duration(total(stage));
        } else if (stage.startedAt && !stage.finishedAt) {
          numbers = 'running ' + duration(total(stage));
        } else {
          numbers = String(stage.status).toLowerCase();
        }
        row.append(el('span', 'numbers', numbers));
        return row;
      });
      $('timeline').replaceChildren(...rows);
    }

    function article(i) {
      let node = $('stages').children[i];
      if (!node) {
        node = $('stage-template').content.firstElementChild.cloneNode(true);
        node.dataset.stage = String(i);
        $('stages').append(node);
      }
      return node;
    }

    function renderStage(stage, i) {
      const node = article(i);
      node.querySelector('.stage-title').textContent = 'Stage ' + i + ': ' + stage.image;
      statusBadge(node.querySelector('.stage-status'), stage.status);
      const result = Array.isArray(results) ? results[i] : null;
      const oom = result && result.data && typeof result.data.OOMKilled === 'boolean' ? result.data.OOMKilled : null;
      const facts = node.querySelector('.stage-facts');
      const parts = [
        ['exit code', stage.exitCode == null ? '—' : stage.exitCode, false],
        ['killed', stage.killed ? 'yes' : 'no', stage.killed],
        ['OOMKilled', oom == null ? '—' : (oom ? 'yes' : 'no'), oom === true],
        ['ran', span(stage) || '—', false],
      ];
      if (stage.timings) {
        parts.push(['timings', PHASES.map((phase) => phase + ' ' + duration(Number(stage.timings[phase]) || 0)).join(', '), false]);
      }
      if (stage.stdoutDropped != null) parts.push(['stdout cut', stage.stdoutDropped + ' bytes', true]);
      if (stage.stderrDropped != null) parts.push(['stderr cut', stage.stderrDropped + ' bytes', true]);
      if (stage.outputLost) parts.push(['output lost', 'yes', true]);
      facts.replaceChildren();
      parts.forEach(([name, value, flag], n) => {
        if (n > 0) facts.append(' · ');
        const part = el('span', flag ? 'flag' : null, name + ' ' + value);
        part.dataset.fact = name;
        facts.append(part);
      });
      node.querySelector('.live-hint').hidden = stage.status !== 'RUNNING';
      renderStreams(stages[i], i);
    }

    function renderStreams(known, i) {
      const node = article(i);
      for (const stream of ['stdout', 'stderr']) {
        const pre = node.querySelector('pre.' + stream);
        let text;
        if (known && known.problem) {
          text = '(' + (known.problem.detail || known.problem.title) + ')';
        } else {
          text = known && known[stream] != null ? known[stream] : '';
          if (!$('show-timestamps').checked) {
            // Each stored line starts with the engine's RFC 3339 timestamp and a space.
            text = text.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /gm, '');
          }
        }
        if (pre.textContent !== text) {
          const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
          pre.textContent = text;
          if (atEnd) {
            pre.scrollTop = pre.scrollHeight;
          }
        }
        pre.classList.toggle('empty', text === '');
      }
    }

    load();
  }

  // ---- wiring ----

  document.addEventListener('DOMContentLoaded', async () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const presented = $('token').value.trim();
      if (!presented) {
        showProblem($('sign-in-problem'), { title: 'Enter a client token' });
        return;
      }
      signIn(presented);
    });
    $('continue-open').addEventListener('click', async () => {
      sessionStorage.setItem(TOKEN_KEY, '');
      await startSession();
      route();
    });
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      stopFleet();
      newer = [];
      location.hash = '#/';
      route();
    });
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      newer = [];
      const wanted = listHash({ status: $('filter-status').value, tenant: admin ? $('filter-tenant').value.trim() : '' });
      if (location.hash === wanted) {
        route(); // the same filters again: read the page again
      } else {
        location.hash = wanted;
      }
    });
    window.addEventListener('hashchange', route);
    if (token() !== null) {
      await startSession();
    }
    route();
  });
})();
