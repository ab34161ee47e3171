// End-to-end: the single file opened from file://, driven like a user would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, waitReady, dropFiles, foreignRequests, corpusFiles, openFileList, bigCtisvr, tempDir, cleanTemp, SHOTS, CORPUS, ROOT } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); cleanTemp(); });

async function fileRows(page) {
  return page.locator('[data-file-row]').evaluateAll((els) => els.map((e) => ({
    path: e.querySelector('.path')?.textContent, format: e.dataset.format, status: e.dataset.status,
  })));
}

test('the single file opens from file://, loads a file through #file-input and another by drop, and makes no request', async () => {
  const { page, requests, errors, context } = await openPage(browser);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'idle');
  assert.match(await page.locator('h1').textContent(), /Switchboard/);
  assert.match(await page.locator('#about').textContent(), /never leave this browser/);
  await page.setInputFiles('#file-input', path.join(CORPUS, '000-ece-availability/listener.log'));
  await waitReady(page);
  await dropFiles(page, [path.join(CORPUS, '001-finesse-login/localhost_access_log.2013-04-23.txt')]);
  await page.waitForFunction(() => document.querySelectorAll('[data-file-row]').length === 2);
  await waitReady(page);
  const rows = await fileRows(page);
  assert.deepEqual(rows.map((r) => r.format).sort(), ['ece-listener', 'tomcat-access']);
  assert.ok(rows.every((r) => r.status === 'loaded'));
  // The ARM dump is decoded: open the MEDIA_LOGIN_REQ record.
  await page.locator('.trow', { hasText: 'MEDIA_LOGIN_REQ' }).first().click();
  await page.waitForSelector('#detail .tree');
  const detail = await page.locator('#detail').textContent();
  assert.match(detail, /ICMAgentID/);
  assert.match(detail, /5033/);
  await page.screenshot({ path: path.join(SHOTS, 'file-input-and-drop.png') });
  assert.deepEqual(foreignRequests(requests), [], 'no request beyond the page itself');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo bundle loads with one click', async () => {
  const { page, requests, errors, context } = await openPage(browser);
  await page.click('#demo-button');
  await waitReady(page);
  const rows = await fileRows(page);
  assert.ok(rows.length >= 8, `demo has its files (${rows.length})`);
  assert.ok(rows.every((r) => r.status === 'loaded' && r.format && r.format !== 'text'), JSON.stringify(rows));
  const n = Number((await page.locator('#tab-timeline').textContent()).match(/\d+/)[0]);
  assert.ok(n > 100, `demo has records (${n})`);
  await page.screenshot({ path: path.join(SHOTS, 'demo.png') });
  // The incident's findings and state timelines are there too.
  await page.click('#tab-findings');
  assert.ok(await page.locator('[data-finding="presence-driven-logout"]').count() >= 1, 'presence-driven logout is found');
  assert.ok(await page.locator('[data-finding="ece-no-agent"]').count() >= 1, 'the refused chat is explained');
  await page.screenshot({ path: path.join(SHOTS, 'demo-findings.png') });
  await page.click('#tab-states');
  await page.waitForSelector('#states-svg .seg');
  const kinds = await page.locator('#states-svg .state-row').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.kind))]);
  assert.ok(kinds.includes('agent-mrd') && kinds.includes('finesse-user'), `state timelines: ${kinds}`);
  await page.screenshot({ path: path.join(SHOTS, 'demo-states.png') });
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the merged view over the whole corpus: search, filter, open a record, keyboard', async () => {
  const { page, requests, errors, context } = await openPage(browser);
  const files = corpusFiles();
  await page.setInputFiles('#file-input', files);
  await waitReady(page);
  await page.waitForFunction((n) => document.querySelectorAll('[data-file-row]').length === n, files.length);
  const rows = await fileRows(page);
  assert.ok(rows.every((r) => r.format && r.format !== 'text'), JSON.stringify(rows.filter((r) => !r.format || r.format === 'text')));
  const count = async () => Number((await page.locator('#match-count').textContent()).match(/\d+/)[0]);
  const total = await count();
  assert.ok(total > 300, `records: ${total}`);
  await page.screenshot({ path: path.join(SHOTS, 'merged-corpus.png') });
  // Search highlights the matches; "only matching rows" narrows the view.
  await page.check('#only-matching');
  await page.fill('#search', 'PRESENCE DRIVEN LOGOUT');
  await page.waitForFunction((t) => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) < t, total);
  assert.ok((await count()) >= 1);
  assert.ok(await page.locator('.trow mark').count() >= 1);
  // Regex search.
  await page.fill('#search', 'MAKE_AGENT_(ROUTABLE|READY)_IND');
  await page.click('#regex-toggle');
  await page.waitForFunction(() => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) >= 4);
  await page.fill('#search', '');
  await page.click('#regex-toggle');
  await page.uncheck('#only-matching');
  await page.waitForFunction((t) => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) === t, total);
  // ID filter: one task across its sources.
  await page.fill('#id-filter', '37051928');
  await page.press('#id-filter', 'Enter');
  await page.waitForFunction((t) => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) < t, total);
  const sources = await page.locator('.trow .src').allTextContents();
  assert.ok(new Set(sources).size >= 3, `task 37051928 spans sources: ${[...new Set(sources)]}`);
  assert.ok(await page.locator('#active-filters').isVisible());
  // Open a record: decoded fields and raw lines in context.
  await page.locator('.trow').first().click();
  await page.waitForSelector('#detail .raw');
  assert.ok((await page.locator('#detail .raw .ctx.own').count()) >= 1);
  // Keyboard: j moves the selection.
  const before = await page.locator('.trow.selected').getAttribute('data-row');
  await page.locator('body').press('j');
  await page.waitForFunction((b) => document.querySelector('.trow.selected')?.dataset.row !== b, before);
  await page.screenshot({ path: path.join(SHOTS, 'merged-filtered-detail.png') });
  // Hiding a file removes its rows.
  await page.fill('#id-filter', '');
  await page.press('#id-filter', 'Enter');
  await page.waitForFunction((t) => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) === t, total);
  await openFileList(page);
  await page.locator('[data-file-row]', { hasText: 'MADM.log' }).locator('input[type=checkbox]').click();
  await page.waitForFunction((t) => Number(document.querySelector('#match-count').textContent.match(/\d+/)[0]) < t, total);
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a filter that matches nothing: the timeline says so and stops asking the worker for rows', async () => {
  // Counts the row queries the page posts to its worker.
  const init = () => {
    window.__rowQueries = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (m, ...rest) {
      if (typeof m === 'string' && m.includes('"t":"rows"')) window.__rowQueries++;
      return post.call(this, m, ...rest);
    };
  };
  const { page, errors, context } = await openPage(browser, { init });
  await page.click('#demo-button');
  await waitReady(page);
  await page.waitForSelector('.trow[data-row]');
  assert.ok((await page.evaluate(() => window.__rowQueries)) >= 1, 'rows are asked for through the counted channel');
  await page.fill('#id-filter', 'no-such-id-anywhere');
  await page.press('#id-filter', 'Enter');
  await page.waitForFunction(() => /No record matches/.test(document.querySelector('#timeline-scroll')?.textContent || ''));
  const before = await page.evaluate(() => window.__rowQueries);
  await page.waitForTimeout(1000);
  const after = await page.evaluate(() => window.__rowQueries);
  assert.ok(after - before <= 1, `row queries in a second of an empty view: ${after - before}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a zip with nested folders and a corrupt member: the rest loads, the damage is named', async () => {
  const dir = tempDir();
  const zipPath = path.join(dir, 'rtmt-collection.zip');
  execFileSync('python3', ['-c', `
import zipfile, sys
src = sys.argv[1]; out = sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.write(src + '/003-cce-task-routing/ctisvr.txt', 'cce/pg2a/logfiles/ctisvr.txt')
    z.write(src + '/003-cce-task-routing/rtr.txt', 'cce/rgra/logfiles/rtr.txt')
    z.writestr('ccp/mmca/logs/broken.log', 'x' * 200000 + ''.join(chr(65 + i % 26) for i in range(50000)))
    z.write(src + '/002-finesse-bosh/openfire/info.log', 'finesse/openfire/info.log')
data = bytearray(open(out, 'rb').read())
# Corrupt the compressed data of the third member (keep the headers, so its neighbours stay readable).
with zipfile.ZipFile(out) as z:
    info = z.getinfo('ccp/mmca/logs/broken.log')
start = info.header_offset + 30 + len(info.filename) + len(info.extra)
for i in range(start + 10, start + 60):
    data[i] ^= 0x5A
open(out, 'wb').write(data)
`, CORPUS, zipPath]);
  const { page, requests, errors, context } = await openPage(browser);
  await page.setInputFiles('#file-input', zipPath);
  await waitReady(page);
  const rows = await fileRows(page);
  const byName = (s) => rows.find((r) => r.path.includes(s));
  assert.equal(byName('cce/pg2a/logfiles/ctisvr.txt')?.format, 'ctisvr');
  assert.equal(byName('cce/rgra/logfiles/rtr.txt')?.format, 'icm-router');
  assert.equal(byName('finesse/openfire/info.log')?.format, 'openfire-info');
  assert.ok(byName('rtmt-collection.zip!/cce/pg2a'), 'members are named outer.zip!/inner/path');
  const broken = byName('broken.log');
  assert.ok(broken, 'the corrupt member has a row');
  const problems = await page.locator('.frow-problem').allTextContents();
  assert.ok(problems.some((p) => /broken\.log/.test(p) && /corrupt|damaged|invalid|checksum|CRC/i.test(p)), JSON.stringify(problems));
  await page.screenshot({ path: path.join(SHOTS, 'zip-corrupt-member.png') });
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('log text with markup is shown as text: no script runs, no element is injected', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'chat-gateway.log');
  fs.writeFileSync(f, [
    "2026-03-12 09:00:00.001 - info: Sent message [<script>alert('xss')</script>] to SocialMiner",
    '2026-03-12 09:00:01.002 - info: Received message [<img src=x onerror=alert(1)>] from customer',
    '2026-03-12 09:00:02.003 - info: link <a href="javascript:alert(2)">click</a> <svg onload=alert(3)>',
  ].join('\n') + '\n');
  const { page, requests, errors, dialogs, context } = await openPage(browser);
  await page.setInputFiles('#file-input', f);
  await waitReady(page);
  await page.locator('.trow').nth(1).click();
  await page.waitForSelector('#detail .raw');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no dialog fired');
  assert.equal(await page.locator('img').count(), 0, 'no <img> injected');
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link injected');
  assert.equal(await page.locator('body script').count(), 3, 'only the page\'s own scripts');
  assert.match(await page.locator('#detail .raw').textContent(), /<img src=x onerror=alert\(1\)>/);
  await page.screenshot({ path: path.join(SHOTS, 'injection-as-text.png') });
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the hosted dist/ build works from a web server and requests only its own files', async () => {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(ROOT, 'dist')], { stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 50; i++) {
      try { await fetch(base); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    const { page, requests, errors, context } = await openPage(browser, { url: base + 'index.html' });
    await page.setInputFiles('#file-input', path.join(CORPUS, '002-finesse-bosh/openfire/debug.log'));
    await waitReady(page);
    assert.deepEqual((await fileRows(page)).map((r) => r.format), ['openfire-debug']);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp, /connect-src 'self'/);
    assert.ok(requests.every((u) => u.startsWith(base) || u.startsWith('blob:')), JSON.stringify(requests));
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    server.kill();
  }
});

test('sanitized export: preview, download, and no listed secret survives; no request is made', async () => {
  const { page, requests, errors, context } = await openPage(browser);
  await page.setInputFiles('#file-input', [
    path.join(CORPUS, '001-finesse-login/localhost_access_log.2013-04-23.txt'),
    path.join(CORPUS, '001-finesse-login/openfire/debug.log'),
  ]);
  await waitReady(page);
  await page.click('#export-button');
  await page.waitForSelector('#export-summary');
  assert.match(await page.locator('#export-summary').textContent(), /[2-9]\d* values will be masked/);
  await page.fill('#export-patterns', 'loginName>(\\w+)<');
  await page.click('#export-preview');
  await page.waitForFunction(() => /pattern/.test(document.querySelector('#export-summary')?.textContent || ''));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
  const dir = tempDir();
  const zipPath = path.join(dir, download.suggestedFilename());
  await download.saveAs(zipPath);
  const text = execFileSync('python3', ['-c', 'import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nprint("\\n".join(z.read(n).decode() for n in z.namelist()))', zipPath]).toString();
  assert.ok(!text.includes('MjAwMToyMDAx'), 'the Basic credential is masked');
  assert.ok(!text.includes('>mmouse<'), 'the user pattern is applied');
  assert.ok(text.includes('[MASKED:authorization-basic]'));
  assert.ok(text.includes('/finesse/api/SystemInfo'), 'the rest of the logs is there');
  await page.waitForFunction(() => /downloaded/.test(document.querySelector('#export-note')?.textContent || ''));
  await page.screenshot({ path: path.join(SHOTS, 'export.png') });
  assert.deepEqual(foreignRequests(requests), [], 'no request during load, parse and export');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a big load shows progress, keeps the page responsive, and Cancel stops it keeping what finished', async () => {
  const dir = tempDir();
  const small = path.join(dir, 'a-small.log');
  fs.writeFileSync(small, '2026-03-12 09:00:00.001 - info: first file, small\n');
  const big = bigCtisvr(900000, 'b-big-ctisvr.txt');
  const { page, errors, requests, context } = await openPage(browser);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await page.setInputFiles('#file-input', [small, big]);
  await page.waitForSelector('#progress .bar > div', { timeout: 30000 });
  await page.waitForFunction(() => /\d+ \/ \d+/.test(document.querySelector('#progress .nums')?.textContent || ''));
  await page.screenshot({ path: path.join(SHOTS, 'progress.png') });
  // The empty list says the files are being read, not that no record matches.
  const empty = await page.locator('#timeline-empty').textContent();
  assert.match(empty, /Reading the files/);
  assert.doesNotMatch(empty, /No record matches/);
  // The page answers while the worker parses.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.ok(Date.now() - t0 < 1000, 'a frame is painted while loading');
  await page.click('#cancel-button');
  await waitReady(page);
  assert.match(await page.locator('#load-note').textContent(), /Cancelled/);
  const rows = await fileRows(page);
  assert.ok(rows.some((r) => r.path.includes('a-small.log') && r.status === 'loaded'), JSON.stringify(rows));
  const long = await page.evaluate(() => window.__long);
  console.log(`main-thread long tasks during load: ${long.length}, longest ${Math.max(0, ...long).toFixed(0)} ms`);
  assert.ok(Math.max(0, ...long) < 250, `main thread stays responsive (longest task ${Math.max(0, ...long)} ms)`);
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('flows: open a flow, click an arrow to see its payload, expand and collapse repeats, export SVG', async () => {
  const { page, requests, errors, context } = await openPage(browser);
  const dir = path.join(CORPUS, '004-uccx-facebook-chat');
  const files = ['MIVR.log', 'ccpapi.log', 'runtime.log', 'ccp-chat-gateway/log.log'].map((f) => path.join(dir, f));
  await page.setInputFiles('#file-input', files);
  await waitReady(page);
  await page.click('#tab-flows');
  await page.locator('.flow-item[data-flow-kind="uccx-chat"]').first().click();
  await page.waitForSelector('#flow-svg g.step');
  const lanes = await page.locator('.dlanes g.lane text').allTextContents();
  assert.ok(lanes.length >= 3, `lifelines: ${lanes}`);
  // Repeated polls are collapsed into one row (in time order they come later in the chat: scroll to
  // them; only rows near the viewport are drawn); clicking expands them.
  const box = await page.locator('#diagram-scroll').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 20 && !(await page.locator('#flow-svg g.run').count()); i++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(50);
  }
  const runs = await page.locator('#flow-svg g.run').count();
  assert.ok(runs >= 1, 'repeated keep-alives are collapsed');
  // (Only rows near the viewport are drawn, so count the collapsed rows, not all arrows.)
  const firstRun = await page.locator('#flow-svg g.run').first().getAttribute('data-run');
  const runsText = () => page.locator('#flow-svg g.run').evaluateAll((els) => els.map((e) => e.textContent).join('|'));
  const before = await runsText();
  // The diagram may still be settling from the wheel (rows near the viewport are redrawn): a click
  // that lands while its row is replaced is given again, as a person would.
  const expanded = (b) => [...document.querySelectorAll('#flow-svg g.run')].map((e) => e.textContent).join('|') !== b;
  for (let i = 0; i < 3; i++) {
    await page.locator('#flow-svg g.run').first().click();
    if (await page.waitForFunction(expanded, before, { timeout: 5000 }).then(() => true, () => false)) break;
  }
  await page.waitForFunction(expanded, before);
  assert.ok(Number(firstRun) >= 3, `a run collapses at least 3 repeats (${firstRun})`);
  await page.click('#collapse-runs');
  await page.waitForFunction((b) => [...document.querySelectorAll('#flow-svg g.run')].map((e) => e.textContent).join('|') === b, before);
  // Click an arrow: its decoded payload and raw lines are pinned (scroll from the top of the chat to it).
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -100000);
  await page.waitForFunction(() => document.getElementById('diagram-scroll').scrollTop === 0);
  const talking = page.locator('#flow-svg g.step', { hasText: 'TALKING' });
  for (let i = 0; i < 20 && !(await talking.count()); i++) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(50);
  }
  // A wheel may still be scrolling when the click lands (on a slow machine): if another step
  // opened, click TALKING again, as a person would.
  const opened = () => /TALKING/.test(document.querySelector('#step-detail h3')?.textContent || '');
  for (let i = 0; i < 3; i++) {
    await talking.first().click();
    if (await page.waitForFunction(opened, null, { timeout: 5000 }).then(() => true, () => false)) break;
  }
  await page.waitForSelector('#step-detail .tree', { timeout: 10000 }).catch(async () => {
    assert.fail(`the TALKING step's fields are shown; the pane says: ${await page.locator('#step-detail').textContent().catch(() => 'no pane')}`);
  });
  assert.match(await page.locator('#step-detail').textContent(), /TALKING/);
  assert.ok((await page.locator('#step-raw').textContent()).length > 10);
  await page.screenshot({ path: path.join(SHOTS, 'flow-uccx-chat.png') });
  // Time modes.
  await page.selectOption('#time-mode', 'delta');
  assert.match(await page.locator('.dtimes text.time').first().textContent(), /Δ/);
  // Export SVG.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const out = path.join(tempDir(), 'flow.svg');
  await download.saveAs(out);
  const svg = fs.readFileSync(out, 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /TALKING/);
  // Jump from the diagram to the merged view.
  await page.click('#goto-timeline');
  await page.waitForSelector('#detail .raw');
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an ad-hoc flow of 10 000 arrows stays interactive', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'ctisvr.txt');
  const states = ['NOT_READY', 'NOT_ACTIVE', 'RESERVED', 'ACTIVE'];
  let text = '';
  for (let i = 0; i < 20000; i++) {
    const t = `${String(10 + Math.floor(i / 3600000)).padStart(2, '0')}:${String(Math.floor(i / 60000) % 60).padStart(2, '0')}:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:${String(i % 1000).padStart(3, '0')}`;
    text += `${t} cg1A-ctisvr Trace: AGENT_EVENT: ID=6420 Periph=5000 Ext=6420 St=${states[i % 4]} MRDID=5000 NumTasks=0\n`;
  }
  fs.writeFileSync(f, text);
  const { page, errors, requests, context } = await openPage(browser);
  await page.setInputFiles('#file-input', f);
  await waitReady(page);
  await page.fill('#id-filter', '6420');
  await page.press('#id-filter', 'Enter');
  await page.click('#adhoc-flow');
  await page.waitForSelector('#flow-svg g.run');
  const n = Number((await page.locator('.diagram-wrap .toolbar').first().textContent()).match(/(\d+) messages/)[1]);
  assert.ok(n >= 10000, `${n} arrows`);
  let t0 = Date.now();
  await page.locator('#flow-svg g.run').first().click();
  await page.waitForSelector('#flow-svg g.step');
  const expand = Date.now() - t0;
  t0 = Date.now();
  await page.locator('#flow-svg g.step').nth(5).click();
  await page.waitForSelector('#step-detail .tree');
  const click = Date.now() - t0;
  t0 = Date.now();
  await page.evaluate(() => { document.getElementById('diagram-scroll').scrollTop = 300000; });
  await page.waitForFunction(() => [...document.querySelectorAll('#flow-svg g.step')].some((g) => Number(g.dataset.step) > 8000));
  const scroll = Date.now() - t0;
  console.log(`10k arrows: expand ${expand} ms, click ${click} ms, scroll ${scroll} ms, ${await page.locator('#flow-svg g.step').count()} rows in the DOM`);
  assert.ok(expand < 3000 && click < 2000 && scroll < 2000, 'interactive');
  assert.ok((await page.locator('#flow-svg g.step').count()) < 200, 'only the visible rows are drawn');
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a clock suggestion from a finding is applied with one click and places the records in UTC', async () => {
  const { page, errors, requests, context } = await openPage(browser);
  const dir = path.join(CORPUS, '000-ece-availability');
  await page.setInputFiles('#file-input', fs.readdirSync(dir).map((f) => path.join(dir, f)));
  await waitReady(page);
  const ctisvrRow = page.locator('[data-file-row]', { hasText: 'ctisvr.txt' });
  assert.match(await ctisvrRow.locator('.clock').textContent(), /zone unknown/);
  await page.click('#tab-findings');
  const apply = page.locator('[data-finding="zone-inferred"] .apply-clock', { hasText: 'ctisvr' }).first();
  assert.match(await apply.textContent(), /\+0200/);
  await apply.click();
  await page.waitForFunction(() => /UTC\+0200/.test([...document.querySelectorAll('[data-file-row]')].find((r) => r.textContent.includes('ctisvr.txt'))?.querySelector('.clock')?.textContent || ''));
  await page.click('#tab-timeline');
  await page.check('#only-matching');
  await page.fill('#search', 'ProcessMakeAgentReadyInd');
  await page.waitForFunction(() => document.querySelector('.trow .t')?.textContent.startsWith('2019-08-19 13:34:09'));
  await page.screenshot({ path: path.join(SHOTS, 'clock-applied.png') });
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a whole folder chosen with the folder picker keeps its paths, per-folder clocks and every flow', async () => {
  const { page, errors, requests, context } = await openPage(browser);
  await page.setInputFiles('#folder-input', CORPUS);
  await waitReady(page);
  const rows = await fileRows(page);
  assert.equal(rows.length, 27, 'the 26 corpus files and MANIFEST.md');
  assert.ok(rows.some((r) => r.path === 'corpus/003-cce-task-routing/pim3.txt' && r.format === 'mr-pim'), 'paths inside the folder are kept');
  // Clocks come from the same capture only: 000's ctisvr has no zone to borrow, 003's gets -0500.
  const clock = (p) => page.locator('[data-file-row]', { hasText: p }).locator('.clock').textContent();
  assert.match(await clock('000-ece-availability/ctisvr.txt'), /zone unknown/);
  assert.match(await clock('003-cce-task-routing/ctisvr.txt'), /UTC-0500/);
  const kinds = (await page.locator('#tab-flows').textContent()).match(/\d+/)[0];
  assert.ok(Number(kinds) >= 5, `flows: ${kinds}`);
  await page.click('#tab-flows');
  // The list is asked of the worker when its tab opens: wait for it as a person would.
  await page.waitForSelector('.flow-item');
  const found = await page.locator('.flow-item').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.flowKind))]);
  for (const k of ['agent-sign-in', 'notification-session', 'ece-chat-availability', 'task-routing', 'uccx-chat']) {
    assert.ok(found.includes(k), `${k} in ${found}`);
  }
  assert.deepEqual(foreignRequests(requests), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a session polled for hours: its folded polls say until when, and no silence or negative step is drawn', async () => {
  // An Openfire debug.log of one BOSH session polled every 30 s (a poll and its "last active" line)
  // from 19:30 to 21:09:30 at UTC-4: past midnight in UTC.
  const polls = 200;
  const start = (19 * 60 + 30) * 60;
  const dir = tempDir();
  const file = path.join(dir, 'debug.log');
  const two = (v) => String(v).padStart(2, '0');
  const stamp = (s) => `2026.03.12 ${two(Math.floor((start + s) / 3600))}:${two(Math.floor((start + s) / 60) % 60)}:${two((start + s) % 60)}`;
  let text = '';
  for (let i = 0; i < polls; i++) {
    const s = i * 30;
    text += `${stamp(s)} HTTPBindLog: HTTP RECV(afb139f0): <body rid="${1640000000 + i}" sid="afb139f0" xmlns="http://jabber.org/protocol/httpbind"/>\n`;
    text += `${stamp(s)} HttpSession: Session afb139f0 was last active ${29000 + i} ms ago: 3000@fin1a.example.test/desktop\n`;
  }
  fs.writeFileSync(file, text);
  // The same server's Finesse log, whose lines carry their zone: the Openfire log is placed by it.
  const finesse = path.join(dir, 'Desktop-webservices.2026-03-12T00-00-00.000.log');
  fs.writeFileSync(finesse, '0000000001: 10.20.30.40: Mar 12 2026 19:30:05.000 -0400: %CCBU_http-bio-8082-exec-5-6-API_REQUEST: %[REQUEST_URL=User/3000][agent_id=3000][request_method=user.PUT][request_parameters= state:READY]: Request from client to webservice api\n');
  const openSession = async (page) => {
    await page.click('#tab-flows');
    // (A flow opened before stays open: back to the list.)
    if (await page.locator('#back-to-flows').count()) await page.click('#back-to-flows');
    await page.locator('.flow-item[data-flow-kind="notification-session"]').first().click();
    await page.waitForSelector('#flow-svg g.step');
  };
  const column = (page) => page.locator('text.time').allTextContents();
  const clock = (t) => { const [h, m, s] = t.match(/(\d\d):(\d\d):(\d\d)/).slice(1).map(Number); return (h * 60 + m) * 60 + s; };
  for (const viewport of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
    const { page, errors, requests, context } = await openPage(browser, { viewport });
    // Alone, the log has no zone: the runs say until when as written.
    await page.setInputFiles('#file-input', file);
    await waitReady(page);
    await openSession(page);
    assert.match(await page.locator('.diagram-wrap .toolbar').first().textContent(), new RegExp(`\\(${polls * 2} with the repeats\\)`), 'the header counts every message the folded runs stand for');
    // Kept of each run: the first repetition, the middle ones counted (the last of them is poll
    // polls - 2, at 21:09:00), the last.
    assert.deepEqual(await page.locator('text.time.until').allTextContents(), ['… 2026.03.12 21:09:00', '… 2026.03.12 21:09:00'], `${await column(page)}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
    await context.close();
  }
  for (const viewport of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
    const { page, errors, requests, context } = await openPage(browser, { viewport });
    // Loaded with its server's Finesse log, the zone is known: in UTC (and from the flow's start,
    // and since the step before).
    await page.setInputFiles('#file-input', [file, finesse]);
    await waitReady(page);
    await openSession(page);
    const times = await column(page);
    const until = await page.locator('text.time.until').allTextContents();
    assert.equal(until.length, 2, `a poll run and a "last active" run: ${times}`);
    // (Over midnight in the page's zone, the clock starts again.)
    assert.equal((clock(until[0]) - clock(times[0]) + 86400) % 86400, (polls - 2) * 30, `until ${until[0]} from ${times[0]}`);
    // 23:30 UTC to 01:09 UTC: the run's end is on the next day, and says so.
    assert.deepEqual(until, ['… 01:09:00 +1d', '… 01:09:00 +1d'], `${times}`);
    const gaps = await page.locator('#flow-svg g.gap text').allTextContents();
    assert.ok(gaps.every((g) => /30\.0 s later/.test(g)), `silences are measured from the folded run's last poll: ${gaps}`);
    await page.selectOption('#time-mode', 'delta');
    await page.waitForFunction(() => [...document.querySelectorAll('text.time')].some((t) => t.textContent.startsWith('for ')));
    const deltas = (await column(page)).filter((d) => !d.startsWith('for '));
    assert.ok(deltas.length >= 6 && deltas.every((d) => /^Δ (0 ms|30\.0 s)$/.test(d)), `no step is drawn before the one above it: ${deltas}`);
    await page.screenshot({ path: path.join(SHOTS, `flow-folded-polls-${viewport.width}x${viewport.height}.png`) });
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
    await context.close();
  }
});
