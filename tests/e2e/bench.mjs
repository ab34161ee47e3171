// Browser half of the benchmark (not a test): loads a generated bundle into the single file through
// #file-input and reports, from the worker's own timers, each phase's throughput and the wasm memory.
//   node tests/e2e/bench.mjs bench-data/bench-100m.zip [runs]
// Each run opens a fresh page and waits for the worker's warm-up (`data-engine="warm"`: it has run
// its parsers on the demo bundle so the browser compiled them with its optimising tier, as it has
// for a user who drops files a second after opening the page). `COLD=1` drops the file at once
// instead, for comparison; `SETTLE_MS=N` waits N ms more after the warm-up (background compiles);
// `SB_CHROMIUM_ARGS="--js-flags=--no-liftoff"` (read by lib.mjs) compiles every function with the
// optimising tier up front, to tell compiler tiers from the engine's own speed. `HELPERS=N` makes the
// page see N + 1 cores, so it starts N helper workers (0: the engine decodes alone); by default the
// page chooses from the machine's cores.
import fs from 'node:fs';
import { launch, openPage, waitReady } from './lib.mjs';

const file = process.argv[2];
const runs = Number(process.argv[3] || 3);
const cold = process.env.COLD === '1';
const helpers = process.env.HELPERS;
const init = helpers === undefined ? undefined : `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${Number(helpers) + 1} });`;
if (!file || !fs.existsSync(file)) {
  console.error('usage: node tests/e2e/bench.mjs FILE [runs]');
  process.exit(2);
}
const browser = await launch();
const results = [];
const mbs = (bytes, s) => (bytes / 1e6 / s).toFixed(1);
for (let i = 0; i < runs; i++) {
  const { page, context } = await openPage(browser, { init });
  const t0 = Date.now();
  if (!cold) await page.waitForSelector('#app[data-engine=warm]', { timeout: 60000 });
  const warmup = (Date.now() - t0) / 1000;
  if (process.env.SETTLE_MS) await page.waitForTimeout(Number(process.env.SETTLE_MS));
  const t1 = Date.now();
  await page.setInputFiles('#file-input', file);
  await waitReady(page, 30 * 60 * 1000);
  const wall = (Date.now() - t1) / 1000;
  const note = page.locator('#load-note');
  const num = async (a) => Number(await note.getAttribute(a));
  const r = {
    expanded: await num('data-expanded'),
    seconds: await num('data-seconds'),
    mem: await num('data-wasm-memory'),
    heap: await num('data-heap-peak'),
    iseconds: await num('data-index-seconds'),
    imem: await num('data-index-wasm-memory'),
    parse: await num('data-parse-seconds'),
    order: await num('data-order-seconds'),
    ingest: await num('data-ingest-seconds'),
    pmem: await num('data-parsed-wasm-memory'),
    omem: await num('data-ordered-wasm-memory'),
    smem: await num('data-start-wasm-memory'),
    helpers: await num('data-helpers'),
    hrec: await num('data-helper-records'),
    hmem: await num('data-helper-wasm-memory'),
    hsec: await num('data-helper-seconds'),
    dsec: await num('data-decode-seconds'),
    hwait: await num('data-helper-wait-seconds'),
    records: Number((await page.locator('#tab-timeline').textContent()).match(/\d+/)[0]),
    wall,
    warmup,
  };
  results.push(r);
  const e = r.expanded;
  console.log(`run ${i + 1}${cold ? ' (cold)' : ` (after a ${warmup.toFixed(1)} s warm-up)`}: ${(e / 1e6).toFixed(1)} MB of text, ${r.records} records\n` +
    `   ingest (read, unzip, decode text, split lines) ${r.ingest.toFixed(2)} s = ${mbs(e, r.ingest)} MB/s\n` +
    `   parse + index (formats, index entries; clocks, UTC, order) ${(r.parse + r.order).toFixed(2)} s = ${mbs(e, r.parse + r.order)} MB/s (parse ${r.parse.toFixed(2)} s, order ${r.order.toFixed(2)} s)\n` +
    `   timeline ready (all of it, with progress and yields) ${r.iseconds.toFixed(2)} s = ${mbs(e, r.iseconds)} MB/s, wasm memory then ${(r.imem / 2 ** 20).toFixed(0)} MiB = ${(r.imem / e).toFixed(3)}x\n` +
    `   wasm memory: ${(r.smem / 2 ** 20).toFixed(1)} MiB at start, ${(r.pmem / e).toFixed(3)}x after ingest + parse, ${(r.omem / e).toFixed(3)}x after clocks and order\n` +
    `   with flows and findings ${r.seconds.toFixed(2)} s = ${mbs(e, r.seconds)} MB/s, wasm memory ${(r.mem / 2 ** 20).toFixed(0)} MiB = ${(r.mem / e).toFixed(2)}x, ` +
    `of which at most ${(r.heap / 2 ** 20).toFixed(0)} MiB = ${(r.heap / e).toFixed(2)}x allocated at once\n` +
    `   analysis ${(r.seconds - r.iseconds).toFixed(2)} s: decoding the records ${r.dsec.toFixed(2)} s, then flows, findings and states ${(r.seconds - r.iseconds - r.dsec).toFixed(2)} s` +
    (r.helpers > 0 ? `\n   ${r.helpers} helper worker(s) decoded ${(100 * r.hrec / r.records).toFixed(0)} % of the records, holding ${(r.hmem / 2 ** 20).toFixed(0)} MiB = ${(r.hmem / e).toFixed(2)}x of wasm memory when done (engine + helpers ${((r.mem + r.hmem) / e).toFixed(2)}x); ` +
      `the slowest helper took ${r.hsec.toFixed(2)} s, the engine waited ${r.hwait.toFixed(2)} s for answers` : ''));
  await context.close();
}
await browser.close();
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const e = results[0].expanded;
const m = (k) => med(results.map(k));
console.log(JSON.stringify({
  cold,
  browser_ingest_mb_s: +(e / 1e6 / m((r) => r.ingest)).toFixed(1),
  browser_parse_index_mb_s: +(e / 1e6 / m((r) => r.parse + r.order)).toFixed(1),
  browser_index_mb_s: +(e / 1e6 / m((r) => r.iseconds)).toFixed(1), index_seconds: m((r) => r.iseconds),
  index_wasm_memory_multiple: +(m((r) => r.imem) / e).toFixed(3),
  parsed_wasm_memory_multiple: +(m((r) => r.pmem) / e).toFixed(3),
  start_wasm_memory: m((r) => r.smem),
  browser_mb_s: +(e / 1e6 / m((r) => r.seconds)).toFixed(1), seconds: m((r) => r.seconds), expanded: e,
  wasm_memory_multiple: +(m((r) => r.mem) / e).toFixed(2),
  heap_peak_multiple: +(m((r) => r.heap) / e).toFixed(2),
  helpers: m((r) => r.helpers),
  helper_records_share: +m((r) => r.hrec / r.records).toFixed(3),
  helper_wasm_memory_multiple: +(m((r) => r.hmem) / e).toFixed(2),
}));
