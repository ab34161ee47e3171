#!/usr/bin/env python3
"""Post-processes Trunk's dist/:

1. adds a Content-Security-Policy to dist/index.html (the hosted build): scripts only from the page's
   own files plus the hashes of Trunk's inline loader, connections only to its own files;
2. writes dist/switchboard.html: one self-contained page (CSS, the wasm-bindgen glue and the wasm
   inlined) that works opened from file://. The wasm travels as base64 in a non-executed script
   element and is compiled from those bytes (a fetch over file:// is refused); the parsing worker is
   started from a Blob URL made of the same glue and receives the compiled module by postMessage.
   Its CSP forbids every connection (connect-src 'none').
"""
import base64, hashlib, pathlib, re, sys

dist = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
index = dist / "index.html"
glue_path = dist / "switchboard-web.js"
wasm_path = dist / "switchboard-web_bg.wasm"
css_files = sorted(dist.glob("*.css"))
for p in [index, glue_path, wasm_path]:
    if not p.exists():
        sys.exit(f"single_file.py: {p} is missing (did trunk build run?)")
if (dist / "snippets").exists():
    sys.exit("single_file.py: wasm-bindgen snippets are not supported by the single-file build")


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# 1. CSP for the hosted build.
html = index.read_text()
html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(sha256(s) for s in inline if s.strip())
csp_dist = (
    "default-src 'none'; "
    f"script-src 'self' {hashes} 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self' blob:; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
html = html.replace("<head>", f'<head>\n  <meta http-equiv="Content-Security-Policy" content="{csp_dist}" />', 1)
index.write_text(html)

# 2. The single file.
glue = glue_path.read_text()
# The glue is an ES module; inside an inline module script its exports are just declarations.
glue = re.sub(r"^export \{[^}]*\};?\s*$", "", glue, flags=re.M)
glue = re.sub(r"^export default [^;]+;\s*$", "", glue, flags=re.M)
glue = re.sub(r"^export (function|class|const|let|async function) ", r"\1 ", glue, flags=re.M)
if re.search(r"^\s*export\b", glue, flags=re.M) or re.search(r"^\s*import\b", glue, flags=re.M):
    sys.exit("single_file.py: the wasm-bindgen glue has an export/import this script does not handle")
wasm_b64 = base64.b64encode(wasm_path.read_bytes()).decode()
css = "\n".join(p.read_text() for p in css_files)

# A module worker from a blob: URL is refused when the page's origin is opaque (file://), so the
# worker is a classic script: the glue's only `import.meta` (a default wasm path, unused here) goes.
worker_glue = glue.replace("import.meta.url", "self.location.href")
worker_src = worker_glue + """
// Worker bootstrap: wait for the compiled module from the page, then start the engine. Messages that
// arrive meanwhile are kept for the engine in __sbPending.
self.__sbPending = [];
self.onmessage = async (e) => {
  if (e.data && e.data.t === 'init') {
    self.onmessage = (m) => self.__sbPending.push(m.data);
    await __wbg_init({ module_or_path: e.data.module });
  } else {
    self.__sbPending.push(e.data);
  }
};
"""
main_src = glue + """
// Page bootstrap (single-file build): compile the embedded wasm once, share it with the worker.
const b64 = document.getElementById('sb-wasm').textContent.trim();
const bin = atob(b64);
const bytes = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
const module = await WebAssembly.compile(bytes);
const workerText = document.getElementById('sb-worker').textContent;
const url = URL.createObjectURL(new Blob([workerText], { type: 'text/javascript' }));
window.SWITCHBOARD_WORKER = { url, module, type: 'classic' };
await __wbg_init({ module_or_path: module });
"""
if "</script" in worker_src.lower() or "</script" in main_src.lower():
    sys.exit("single_file.py: '</script' inside the glue would end the inline script early")

csp_single = (
    "default-src 'none'; "
    f"script-src {sha256(main_src)} 'wasm-unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src blob: data:; "
    "connect-src 'none'; worker-src blob:; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
body = re.search(r"<body>(.*?)</body>", index.read_text(), flags=re.S)
single = f"""<!doctype html>
<html lang="en" data-state="idle">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="{csp_single}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="color-scheme" content="light dark" />
<meta name="referrer" content="no-referrer" />
<title>{title.group(1) if title else "Switchboard"}</title>
<style>
{css}
</style>
</head>
<body>{body.group(1) if body else '<div id="root"></div>'}
<script type="application/octet-stream" id="sb-wasm">{wasm_b64}</script>
<script type="text/plain" id="sb-worker">{worker_src}</script>
<script type="module">{main_src}</script>
</body>
</html>
"""
(dist / "switchboard.html").write_text(single)
print(f"single_file.py: dist/index.html CSP set; dist/switchboard.html written ({len(single) // 1024} KiB)")
