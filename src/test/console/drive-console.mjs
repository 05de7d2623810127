// Drives the web console in Debian's headless Chromium as a user would (ConsoleBrowserTest runs it).
//   node drive-console.mjs tokens <service URL> <screenshot dir> <quick job> <long job> <quick job's line>
//       signs in with a wrong token (the API's 401 problem shows), then with CONSOLE_SUBMIT_TOKEN:
//       finds both jobs, reads the quick one's stdout, watches the long one's output arrive while
//       it runs and cancels it with the button; then as CONSOLE_ADMIN_TOKEN sees every tenant and
//       the queue and workers.
//   node drive-console.mjs open <service URL> <screenshot dir> <job>
//       a service with no clients: goes on without a token and finds the job.
// Every check that fails throws; the exit code is the verdict.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, base, shots, ...rest] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = { timeout: 30_000 };

mkdirSync(shots, { recursive: true });
rmSync(join(shots, 'failure.png'), { force: true });
const profile = mkdtempSync(join(tmpdir(), 'chainlink-console-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] || await context.newPage();
const faults = [];
page.on('pageerror', (error) => faults.push('page error: ' + error.message));
page.on('console', (message) => {
  // The sign-in page asks the API without a token to learn whether the service is open: with
  // clients configured that load is a 401, as is a wrong token's; nothing else may fail.
  if (message.type() === 'error' && !/status of 401/.test(message.text()) && !/favicon/.test(message.location().url || '')) {
    faults.push('console: ' + message.text());
  }
});

function check(condition, what) {
  if (!condition) {
    throw new Error('check failed: ' + what);
  }
  console.log('ok: ' + what);
}

async function shot(name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
}

const text = (selector) => page.locator(selector).innerText();

async function openConsole() {
  const response = await page.goto(base + '/', { waitUntil: 'load' });
  check(new URL(page.url()).pathname === '/console/', '/ leads to /console/ (at ' + page.url() + ')');
  check(response.status() === 200, '/console/ answers 200 without a token');
  const policy = (await response.allHeaders())['content-security-policy'] || '';
  check(/script-src 'self'/.test(policy) && !/unsafe-inline/.test(policy), 'the page forbids inline scripts: ' + policy);
}

async function jobRow(id) {
  const row = page.locator(`#job-rows tr[data-job="${id}"]`);
  await row.waitFor(WAIT);
  return row;
}

async function openJob(id) {
  await (await jobRow(id)).locator('a').click();
  await page.locator('#job').waitFor(WAIT);
  await page.locator('#job-id', { hasText: id }).waitFor(WAIT);
}

async function tokens([quick, long, line]) {
  await openConsole();
  await page.locator('#sign-in').waitFor(WAIT);
  check(await page.locator('#open-use').isHidden(), 'a service with clients offers no way on without a token');
  await shot('sign-in');

  await page.fill('#token', 'not-one-of-the-clients-tokens');
  await page.click('#token-submit');
  const problem = page.locator('#sign-in-problem');
  await problem.waitFor(WAIT);
  const said = await problem.innerText();
  check(said.includes('Unauthorized (401)') && said.includes('the bearer token is not one of this service\'s clients'),
    'a wrong token shows the API\'s 401 problem: ' + JSON.stringify(said));
  check(await page.evaluate(() => sessionStorage.getItem('chainlink.token')) === null, 'a wrong token is not kept');
  await shot('wrong-token');

  await page.fill('#token', process.env.CONSOLE_SUBMIT_TOKEN);
  await page.click('#token-submit');
  await page.locator('#jobs').waitFor(WAIT);
  await jobRow(quick);
  await jobRow(long);
  check(await page.evaluate(() => sessionStorage.getItem('chainlink.token')) === process.env.CONSOLE_SUBMIT_TOKEN,
    'the token is kept in sessionStorage');
  check(!page.url().includes(process.env.CONSOLE_SUBMIT_TOKEN), 'the token is not in the URL');
  const rows = await page.locator('#job-rows tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.job));
  check(rows.indexOf(long) < rows.indexOf(quick), 'newest first: the long job, submitted second, is above the quick one');
  check((await (await jobRow(quick)).innerText()).includes('SUCCEEDED'), 'the quick job shows SUCCEEDED in the list');
  check(await page.locator('#filter-tenant-label').isHidden(), 'a tenant client has no tenant filter');
  await shot('jobs');

  await page.selectOption('#filter-status', 'SUCCEEDED');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction((id) => !document.querySelector(`#job-rows tr[data-job="${id}"]`), long, WAIT);
  await jobRow(quick);
  check(page.url().includes('status=SUCCEEDED'), 'the status filter is in the page\'s address');
  await page.selectOption('#filter-status', '');
  await page.click('#filters button[type=submit]');
  await jobRow(long);

  await openJob(quick);
  const stdout = page.locator('#stages article[data-stage="0"] pre.stdout');
  await page.waitForFunction((want) => document.querySelector('#stages article[data-stage="0"] pre.stdout')?.textContent.includes(want), line, WAIT);
  check((await stdout.innerText()).includes(line), 'the quick job\'s stdout shows its line');
  check((await stdout.innerText()).includes('<b>not markup</b>') && await stdout.locator('b').count() === 0,
    'stage output is shown as text, not markup');
  check((await text('#stages article[data-stage="0"] pre.stderr')).includes('to stderr'), 'its stderr is beside it');
  check((await text('#job-status')) === 'SUCCEEDED', 'the job page shows SUCCEEDED');
  const facts = await text('#stages article[data-stage="0"] .stage-facts');
  check(facts.includes('exit code 0') && facts.includes('killed no') && facts.includes('OOMKilled no'),
    'the stage shows its exit code, killed and OOMKilled: ' + facts);
  check(await page.locator('#timeline .row .phase.run').count() === 1, 'the timeline shows the stage\'s phases');
  check(await page.locator('#cancel').isHidden(), 'an ended job has no cancel button');
  await shot('job-succeeded');

  await page.click('text=← Jobs');
  await openJob(long);
  await page.waitForFunction(() => document.querySelector('#stages article[data-stage="0"] pre.stdout')?.textContent.includes('long job started'), null, WAIT);
  check((await text('#job-status')) === 'RUNNING', 'the long job is RUNNING while its output shows');
  const ticks = () => page.evaluate(() => Math.max(0, ...[...(document.querySelector('#stages article[data-stage="0"] pre.stdout')
    ?.textContent.matchAll(/^tick (\d+)$/gm) || [])].map((m) => Number(m[1]))));
  const seen = await ticks();
  await page.waitForFunction((after) => [...(document.querySelector('#stages article[data-stage="0"] pre.stdout')
    ?.textContent.matchAll(/^tick (\d+)$/gm) || [])].some((m) => Number(m[1]) >= after + 2), seen, WAIT);
  check(true, 'output the stage prints while the page is open arrives (tick ' + seen + ', then ' + await ticks() + ')');
  await shot('job-running');
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#job-status')?.textContent === 'CANCELLED', null, WAIT);
  check(await page.locator('#cancel').isHidden(), 'the cancelled job has no cancel button');
  await page.waitForFunction(() => document.querySelector('#stages article[data-stage="0"] .stage-status')?.textContent === 'CANCELLED', null, WAIT);
  check(true, 'its stage shows CANCELLED');
  await shot('job-cancelled');

  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor(WAIT);
  check(await page.evaluate(() => sessionStorage.getItem('chainlink.token')) === null, 'signing out forgets the token');
  await page.fill('#token', process.env.CONSOLE_ADMIN_TOKEN);
  await page.click('#token-submit');
  await page.locator('#jobs').waitFor(WAIT);
  await page.locator('#fleet').waitFor(WAIT);
  check(/queue \d+ · workers \d+\/\d+ busy/.test(await text('#fleet')), 'an admin sees the queue and the workers: ' + await text('#fleet'));
  check(await page.locator('#filter-tenant-label').isVisible(), 'an admin has a tenant filter');
  await page.fill('#filter-tenant', 'no-such-tenant');
  await page.click('#filters button[type=submit]');
  await page.locator('#no-jobs').waitFor(WAIT);
  await page.fill('#filter-tenant', process.env.CONSOLE_SUBMIT_TENANT);
  await page.click('#filters button[type=submit]');
  check((await (await jobRow(long)).innerText()).includes('CANCELLED'), 'the admin sees the tenant\'s cancelled job');
  await shot('admin-jobs');
}

async function open([job]) {
  await openConsole();
  await page.locator('#open-use').waitFor(WAIT);
  await shot('open-sign-in');
  await page.click('#continue-open');
  await page.locator('#jobs').waitFor(WAIT);
  await jobRow(job);
  check((await text('#who')).includes('open use'), 'the header says the service is open');
  await page.locator('#fleet').waitFor(WAIT);
  await shot('open-jobs');
}

try {
  if (mode === 'tokens') {
    await tokens(rest);
  } else if (mode === 'open') {
    await open(rest);
  } else {
    throw new Error('mode is tokens or open, not ' + mode);
  }
  check(faults.length === 0, 'no script errors or refused loads in the page' + (faults.length ? ': ' + faults.join('; ') : ''));
  console.log('console checks passed');
} catch (error) {
  await shot('failure').catch(() => {});
  console.error(error.stack || String(error));
  if (faults.length) {
    console.error('in the page: ' + faults.join('\n'));
  }
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
