// The parsing engine's worker (hosted dist/ build). It runs the same wasm as the page: the wasm's
// main() sees a worker scope and starts the engine. Messages that arrive while the wasm starts are
// kept in __sbPending and replayed by the engine.
self.__sbPending = [];
self.onmessage = (e) => self.__sbPending.push(e.data);
import init from './switchboard-web.js';
await init({ module_or_path: new URL('./switchboard-web_bg.wasm', import.meta.url) });
