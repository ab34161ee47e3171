// End-to-end: a Finesse desktop HAR dropped alone (issue 16): its flows, its findings and its
// waterfall (rows, the failed request in red, wheel scrolling, a click opens the decoded request).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, loadFiles, foreignRequests, shot, tempDir, cleanTemp, SIZES, dragAcross } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); cleanTemp(); });

// A capture "taken" 2026-03-12T10:00:00Z (the project's own content, the shape tests/common/har.rs writes).
const T0 = Date.UTC(2026, 2, 12, 10, 0, 0);
const FIN = 'https://fin.example.test:8445';
const JID = '1001@fin.example.test/desktop';
const at = (s) => T0 + s * 1000;

function entry(ms, method, url, status, body, time, { headers = [], post, error, frames } = {}) {
  const e = {
    startedDateTime: new Date(ms).toISOString(),
    time,
    request: { method, url, httpVersion: 'HTTP/1.1', headers: headers.map(([name, value]) => ({ name, value })), queryString: [], cookies: [], headersSize: -1, bodySize: post ? post.length : 0 },
    response: { status, statusText: status === 0 ? '' : 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: body.length, mimeType: 'text/xml', ...(body ? { text: body } : {}) },
      redirectURL: '', headersSize: -1, bodySize: -1, _error: error ?? null },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: time, receive: 0 },
    _initiator: { type: 'script' },
    _resourceType: url.startsWith('ws') ? 'websocket' : 'xhr',
  };
  if (post) e.request.postData = { mimeType: 'text/xml', text: post };
  if (frames) e._webSocketMessages = frames.map(([type, t, data]) => ({ type, time: t / 1000, opcode: 1, data }));
  return e;
}

function update(node, data, event, requestId) {
  const u = `<Update><data>${data}</data><event>${event}</event><requestId>${requestId}</requestId><source>${node}</source></Update>`;
  const esc = u.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return `<message from='pubsub.fin.example.test' to='${JID}' id='${node}__${JID}__x'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='${node}'><item id='i1'><notification xmlns='http://jabber.org/protocol/pubsub'>${esc}</notification></item></items></event></message>`;
}
const user = (state) => `<user><loginId>1001</loginId><state>${state}</state><extension>1001</extension></user>`;

function desktopHar() {
  const frames = [
    ['send', at(1), '<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="fin.example.test" version="1.0"/>'],
    ['receive', at(1) + 20, '<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" from="fin.example.test" id="s1" version="1.0"/>'],
    ['receive', at(1) + 25, "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"],
    ['send', at(1) + 40, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>ADEwMDEAc2VjcmV0MTIz</auth>"],
    ['receive', at(1) + 90, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"],
    ['send', at(1) + 100, "<iq type='set' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desktop</resource></bind></iq>"],
    ['receive', at(1) + 120, `<iq type='result' id='bind_1' to='${JID}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>${JID}</jid></bind></iq>`],
    ['send', at(1) + 130, "<iq type='set' id='sess_1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>"],
    ['receive', at(1) + 140, `<iq type='result' id='sess_1' to='${JID}'/>`],
    ['send', at(1) + 150, "<presence xmlns='jabber:client'/>"],
    ['send', at(1) + 160, "<iq type='set' id='sub_1' to='pubsub.fin.example.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='/finesse/api/User/1001' jid='1001@fin.example.test'/></pubsub></iq>"],
    ['receive', at(1) + 170, `<iq type='result' id='sub_1' to='${JID}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscription node='/finesse/api/User/1001' subscription='subscribed'/></pubsub></iq>`],
    ['receive', at(5) + 350, update('/finesse/api/User/1001', user('NOT_READY'), 'PUT', 'req-login-1')],
  ];
  for (const [k, s] of [20, 40, 60, 80, 100, 120, 140, 160, 180].entries()) {
    frames.push(['send', at(s), `<iq type='get' id='ping_${k}' to='fin.example.test'><ping xmlns='urn:xmpp:ping'/></iq>`]);
    frames.push(['receive', at(s) + 30, `<iq type='result' id='ping_${k}' from='fin.example.test' to='${JID}'/>`]);
  }
  frames.push(['receive', at(200) + 400, update('/finesse/api/User/1001', user('READY'), 'PUT', 'req-ready-1')]);
  frames.push(['send', at(230), '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>']);
  const entries = [
    entry(at(0), 'GET', `${FIN}/finesse/api/SystemInfo?nocache=${at(0)}`, 200, '<SystemInfo><status>IN_SERVICE</status></SystemInfo>', 35),
    entry(at(1), 'GET', 'wss://fin.example.test:8445/ws/', 101, '', 229000, { frames }),
    entry(at(3), 'GET', `${FIN}/finesse/api/User/1001?nocache=${at(3)}`, 200, user('LOGOUT'), 42, { headers: [['Authorization', 'Basic MTAwMTpzZWNyZXQxMjM=']] }),
    entry(at(5), 'PUT', `${FIN}/finesse/api/User/1001`, 202, '', 60, { headers: [['requestId', 'req-login-1']], post: '<User><state>LOGIN</state><extension>1001</extension></User>' }),
    entry(at(200), 'PUT', `${FIN}/finesse/api/User/1001`, 202, '', 61, { headers: [['requestId', 'req-ready-1']], post: '<User><state>READY</state></User>' }),
    // Blocked by the browser: status 0.
    entry(at(170), 'GET', `${FIN}/finesse/api/User/1001/ReasonCodes?category=NOT_READY&nocache=${at(170)}`, 0, '', 0, { error: 'net::ERR_CONNECTION_RESET' }),
    // A slow one, and one the server refused.
    entry(at(160), 'GET', `${FIN}/finesse/api/User/1001/PhoneBooks?nocache=${at(160)}`, 200, '<PhoneBooks/>', 4200),
    entry(at(165), 'GET', `${FIN}/finesse/api/Team/7?nocache=${at(165)}`, 503, '<ApiErrors/>', 80),
  ];
  // The desktop's gadgets poll: enough rows to scroll.
  for (let i = 0; i < 160; i++) {
    entries.push(entry(at(6) + i * 1400, 'GET', `${FIN}/finesse/api/User/1001/Dialogs?nocache=${at(6) + i * 1400}`, 200, '<Dialogs/>', 30 + (i % 7) * 12));
  }
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } }, null, 1);
}

test('a Finesse desktop HAR alone: its sign-in flow, its findings and its waterfall', async () => {
  const dir = tempDir();
  const har = path.join(dir, 'agent-desktop-1001.har');
  fs.writeFileSync(har, desktopHar());
  for (const size of SIZES) {
    const { page, requests, errors, context } = await openPage(browser, { viewport: size });
    await loadFiles(page, [har]);
    assert.equal(await page.locator('[data-file-row][data-format="har"]').count(), 1);

    // The flow from the HAR alone.
    await page.click('#tab-flows');
    await page.waitForSelector('[data-flow-kind]');
    const kinds = await page.locator('.flow-item[data-flow-kind]').evaluateAll((els) => els.map((e) => e.dataset.flowKind));
    for (const k of ['agent-sign-in', 'notification-session']) assert.ok(kinds.includes(k), `${k} in ${kinds}`);
    await page.locator('.flow-item[data-flow-kind="agent-sign-in"]').first().click();
    await page.waitForSelector('#flow-svg g.step');
    const steps = await page.locator('#flow-svg g.step[data-step]').count();
    assert.ok(steps >= 4, `sign-in steps: ${steps}`);
    const labels = await page.locator('#flow-svg').textContent();
    assert.match(labels, /SystemInfo/);
    assert.match(labels, /req-login-1/);

    // A HAR finding.
    await page.click('#tab-findings');
    const findings = await page.locator('.finding code').allTextContents();
    assert.ok(findings.includes('http-blocked'), `http-blocked in ${findings}`);

    // The waterfall.
    await page.click('#tab-waterfall');
    await page.waitForSelector('#wf-scroll [data-wf-row]');
    assert.match(await page.locator('#wf-count').textContent(), /168 requests/);
    const socket = page.locator('[data-wf-row][data-kind="socket"]');
    assert.equal(await socket.count(), 1, 'the WebSocket is one row');
    assert.ok(await socket.locator('.tick').count() > 10, 'its frames are ticks');
    const sockW = await socket.locator('.bar').evaluate((b) => b.getBoundingClientRect().width);
    const laneW = await socket.locator('.lane').evaluate((b) => b.getBoundingClientRect().width);
    assert.ok(sockW > laneW * 0.8, `the socket runs across the capture: ${sockW} of ${laneW}`);
    const failed = page.locator('[data-wf-row][data-status="0"]');
    // Scroll to it with the wheel if it is not drawn yet.
    const box = await page.locator('#wf-scroll').boundingBox();
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    const firstBefore = await page.locator('#wf-scroll [data-wf-row]').first().getAttribute('data-wf-row');
    for (let i = 0; i < 40 && !(await failed.count()); i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(60);
    }
    assert.equal(await failed.count(), 1, 'the blocked request is drawn');
    const scrolled = await page.locator('#wf-scroll').evaluate((el) => el.scrollTop);
    assert.ok(scrolled > 0, 'the wheel scrolled the waterfall');
    await failed.scrollIntoViewIfNeeded();
    assert.ok(await failed.evaluate((el) => el.classList.contains('failed')));
    const red = await failed.locator('.bar').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(red, 'rgb(180, 35, 24)', 'a failed request is red');
    const status = await failed.locator('.st').evaluate((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth }));
    assert.equal(status.text, '(failed)');
    assert.ok(!status.cut, 'the Status column shows "(failed)" whole');
    assert.equal(await page.locator('[data-wf-row][data-status="503"].failed').count(), 1, 'a 503 is red too');
    assert.equal(await page.locator('[data-wf-row].slow', { hasText: 'PhoneBooks' }).count(), 1, 'the 4.2 s request is marked slow');
    // Its detail says why it failed.
    await failed.click();
    await page.waitForSelector('#wf-detail .tree');
    await page.waitForFunction(() => /ERR_CONNECTION_RESET/.test(document.getElementById('wf-detail').textContent));
    await page.waitForTimeout(150);
    await shot(page, 'waterfall-failed');
    // More wheel: the rows below arrive and are drawn.
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 600);
    await page.waitForFunction(() => [...document.querySelectorAll('#wf-scroll [data-wf-row]')].some((r) => Number(r.dataset.wfRow) >= 160));
    const firstAfter = await page.locator('#wf-scroll [data-wf-row]').first().getAttribute('data-wf-row');
    assert.notEqual(firstAfter, firstBefore, 'virtual rows moved on');
    assert.ok(await page.locator('#wf-scroll .wf-row.loading').count() === 0, 'no row left loading');
    // Back up, click the PUT: the detail shows its decoded request.
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -600);
    await page.waitForFunction(() => document.getElementById('wf-scroll').scrollTop === 0);
    const put = page.locator('[data-wf-row][data-kind="entry"]', { hasText: 'PUT' }).first();
    await put.click();
    // The pane showed the failed request: wait for the PUT's own record to replace it.
    await page.waitForFunction(() => /req-login-1/.test(document.getElementById('wf-detail')?.textContent || ''));
    const detail = await page.locator('#wf-detail').textContent();
    assert.match(detail, /requestId/);
    assert.match(detail, /req-login-1/);
    assert.match(detail, /<User><state>LOGIN<\/state>/, 'the request body, as text');
    await page.waitForTimeout(200);
    await shot(page, 'waterfall');
    // Keys move the selection and open each request's record; Esc closes it.
    const selected = () => page.evaluate(() => Number(document.querySelector('#wf-scroll .wf-row.selected')?.dataset.wfRow));
    const from = await selected();
    await page.keyboard.press('j');
    await page.waitForFunction((f) => Number(document.querySelector('#wf-scroll .wf-row.selected')?.dataset.wfRow) === f + 1, from);
    await page.keyboard.press('End');
    await page.waitForFunction(() => Number(document.querySelector('#wf-scroll .wf-row.selected')?.dataset.wfRow) === 167);
    await page.waitForSelector('#wf-detail .tree');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('wf-detail'));

    assert.equal(await page.locator('#tab-waterfall').isDisabled(), false);

    // A zoom made on the timeline's histogram narrows the waterfall to the requests in it, and
    // "Whole time span" there widens it again.
    await page.click('#tab-timeline');
    await dragAcross(page, '#histogram', 0.3, 0.5);
    await page.waitForSelector('#zoom-chip');
    await page.click('#tab-waterfall');
    await page.waitForSelector('#wf-unzoom');
    await page.waitForFunction(() => {
      const n = Number((document.getElementById('wf-count')?.textContent || '').match(/\d+/)?.[0]);
      return n > 0 && n < 168;
    });
    await page.click('#wf-unzoom');
    await page.waitForFunction(() => /168 requests/.test(document.getElementById('wf-count')?.textContent || ''));
    assert.equal(await page.locator('#wf-unzoom').count(), 0);
    // A drag across the waterfall's own time axis zooms the same way.
    await dragAcross(page, '#wf-axis', 0.1, 0.4, async () => assert.ok(await page.locator('#wf-brush').isVisible(), 'a box while dragging'));
    await page.waitForSelector('#wf-unzoom');
    await page.waitForFunction(() => {
      const n = Number((document.getElementById('wf-count')?.textContent || '').match(/\d+/)?.[0]);
      return n > 0 && n < 168;
    });
    await shot(page, 'waterfall-zoomed');
    await page.click('#wf-unzoom');
    await page.waitForFunction(() => /168 requests/.test(document.getElementById('wf-count')?.textContent || ''));

    assert.deepEqual(foreignRequests(requests), [], 'no request beyond the page itself');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the waterfall tab is disabled without a HAR', async () => {
  const { page, errors, context } = await openPage(browser);
  const dir = tempDir();
  const log = path.join(dir, 'localhost_access_log.2026-03-12.txt');
  fs.writeFileSync(log, '10.0.0.5 - - [12/Mar/2026:10:00:00 +0000] "GET /finesse/api/SystemInfo HTTP/1.1" 200 120\n');
  await loadFiles(page, [log]);
  assert.equal(await page.locator('#tab-waterfall').isDisabled(), true);
  assert.deepEqual(errors, []);
  await context.close();
});
