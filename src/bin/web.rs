//! The page's entry point (wasm32). The same binary runs in two places: on the main thread it
//! mounts the Yew app; inside the Web Worker it runs the parsing engine.

#[cfg(target_arch = "wasm32")]
fn main() {
    switchboard::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("switchboard-web is the page's wasm entry point; build it with `trunk build` (see README).");
}
