//! Sanitized export: the loaded logs and HAR files with secrets masked (and, when asked, personal
//! data replaced by consistent pseudonyms), as a zip engineers can share.
//!
//! The masking itself is `crate::sanitize` (one engine for the page, the CLI and the report). Here:
//! the preview the page shows before writing (`preview`), the zip (`export_zip`: the files under
//! their paths without the common folder the inputs share, and a SANITIZED.txt saying what was
//! masked, by class, with sample lines from the masked output), and the calls the page made before
//! personal masking existed (`sanitize_text`, `sanitize_session`, `sanitized_zip`: secrets and the
//! user's patterns).

use crate::model::{FileStatus, LogFile};
pub use crate::sanitize::{export_name, Hit, Options, Preview};
use crate::sanitize::{without_common_folder, Sanitizer};
use crate::session::Session;
use regex::Regex;

/// Compiles the user's extra patterns; a bad one is an error naming it.
pub fn compile_patterns(patterns: &[String]) -> Result<Vec<Regex>, String> {
    patterns
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| regex::RegexBuilder::new(p.trim()).size_limit(1 << 20).build().map_err(|e| format!("pattern {p:?}: {e}")))
        .collect()
}

/// Masks the secrets and the user's patterns in one text; returns it with the hits (line numbers
/// 1-based).
pub fn sanitize_text(file: &str, text: &str, extra: &[Regex]) -> (String, Vec<Hit>) {
    let mut s = Sanitizer::new(Options::secrets(extra.to_vec()));
    s.learn_text(text);
    s.finish_learning();
    s.clean_text(file, text)
}

fn loaded(s: &Session) -> impl Iterator<Item = &LogFile> {
    s.files.iter().filter(|f| f.status == FileStatus::Loaded)
}

/// Runs the sanitizer over every loaded file: `each(name in the export, masked text, hits)`.
/// Returns the sanitizer (its preview and pseudonym table).
pub fn sanitize_each(s: &Session, opts: &Options, mut each: impl FnMut(&str, String, Vec<Hit>)) -> Sanitizer {
    let mut san = Sanitizer::for_files(loaded(s), opts.clone());
    let names: Vec<String> = loaded(s).map(|f| san.clean_path(&f.path)).collect();
    let names = without_common_folder(&names);
    for (f, name) in loaded(s).zip(names) {
        let (text, hits) = san.clean_file(f);
        each(&name, text, hits);
    }
    san
}

/// Every loaded file of the session with secrets and the user's patterns masked: (path in the
/// export, text) and the hits.
pub fn sanitize_session(s: &Session, extra: &[Regex]) -> (Vec<(String, String)>, Vec<Hit>) {
    let mut files = Vec::new();
    let mut hits = Vec::new();
    sanitize_each(s, &Options::secrets(extra.to_vec()), |name, text, h| {
        files.push((name.to_string(), text));
        hits.extend(h);
    });
    (files, hits)
}

/// What an export with these options would mask, by class (counts, distinct values, sample lines
/// from the masked output; never a secret).
pub fn preview(s: &Session, opts: &Options) -> Preview {
    let mut files = 0;
    let san = sanitize_each(s, opts, |_, _, _| files += 1);
    san.preview(files)
}

/// A written export.
pub struct Export {
    pub bytes: Vec<u8>,
    pub preview: Preview,
    /// The owner's key to the pseudonyms (CSV; empty without personal masking). Never inside the zip.
    pub mapping: String,
}

/// The sanitized files as a zip, with a SANITIZED.txt listing what was masked.
pub fn export_zip(s: &Session, opts: &Options) -> Result<Export, String> {
    write_zip(s, opts, false).map(|(e, _)| e)
}

/// The sanitized files as a zip (secrets and the user's patterns), with every hit.
pub fn sanitized_zip(s: &Session, extra: &[Regex]) -> Result<(Vec<u8>, Vec<Hit>), String> {
    write_zip(s, &Options::secrets(extra.to_vec()), true).map(|(e, hits)| (e.bytes, hits))
}

/// Writes the zip; `keep_hits` also returns every hit (the preview only keeps samples).
fn write_zip(s: &Session, opts: &Options, keep_hits: bool) -> Result<(Export, Vec<Hit>), String> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let zopts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut seen = std::collections::BTreeSet::new();
    let mut files = 0usize;
    let mut all_hits = Vec::new();
    let mut error: Option<String> = None;
    let san = sanitize_each(s, opts, |name, text, hits| {
        if error.is_some() {
            return;
        }
        if keep_hits {
            all_hits.extend(hits);
        }
        let unique = unique_name(&mut seen, name);
        let wrote = w.start_file(unique, zopts).map_err(|e| e.to_string()).and_then(|_| w.write_all(text.as_bytes()).map_err(|e| e.to_string()));
        match wrote {
            Ok(()) => files += 1,
            Err(e) => error = Some(e),
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    let preview = san.preview(files);
    let report = summary_text(&preview);
    w.start_file(unique_name(&mut seen, "SANITIZED.txt"), zopts).map_err(|e| e.to_string())?;
    w.write_all(report.as_bytes()).map_err(|e| e.to_string())?;
    let bytes = w.finish().map_err(|e| e.to_string())?.into_inner();
    let mapping = if opts.personal { san.mapping_csv() } else { String::new() };
    Ok((Export { bytes, preview, mapping }, all_hits))
}

fn unique_name(seen: &mut std::collections::BTreeSet<String>, name: &str) -> String {
    let mut n = name.to_string();
    let mut k = 2;
    while !seen.insert(n.clone()) {
        n = format!("{name}.{k}");
        k += 1;
    }
    n
}

/// The export's SANITIZED.txt: what was masked, by class, and what was kept on purpose.
pub fn summary_text(p: &Preview) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "Sanitized by Switchboard {}. {} values masked in {} files.", crate::VERSION, p.total, p.files);
    let _ = writeln!(
        out,
        "Personal data: {}.",
        if p.personal { "replaced by consistent pseudonyms (the same value has the same token in every file)" } else { "not masked" }
    );
    let _ = writeln!(out);
    for c in &p.classes {
        let _ = writeln!(out, "{:<26} {:>7} masked, {:>5} distinct   {}", c.kind, c.count, c.distinct, c.label);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Kept on purpose: agent IDs and extensions, task, dialog, call and contact IDs, Finesse requestIds, and BOSH sids");
    let _ = writeln!(out, "(correlation reads them; a BOSH session ends within its inactivity limit, about a minute, so its sid grants nothing later),");
    let _ = writeln!(out, "and the user a Basic or SASL PLAIN credential names ([MASKED:sasl][user=3107]); its password is gone.");
    out
}

/// Sample lines of every class, taken from the masked files (what the CLI prints after the summary).
pub fn samples_text(p: &Preview) -> String {
    let mut out = String::new();
    for c in &p.classes {
        for h in &c.samples {
            let at = if h.place.is_empty() { format!("{}:{}", h.file, h.line) } else { format!("{} ({})", h.file, h.place) };
            out.push_str(&format!("{at} {} | {}\n", h.kind, h.preview));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_previews_without_the_secret() {
        let t = "GET /x Authorization: Basic MjAwMToyMDAx\npassword=hunter2&user=a\nnothing here\n";
        let (out, hits) = sanitize_text("a.log", t, &[]);
        assert!(!out.contains("MjAwMToyMDAx") && !out.contains("hunter2"), "{out}");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].line, 1);
        assert_eq!(hits[1].line, 2);
        assert!(hits.iter().all(|h| !h.preview.contains("hunter2")));
        assert!(out.ends_with("nothing here\n"));
    }

    #[test]
    fn user_patterns_mask_their_group() {
        let extra = compile_patterns(&["customer=(\\w+)".into()]).unwrap_or_default();
        let (out, hits) = sanitize_text("a.log", "x customer=Alice y", &extra);
        assert_eq!(out, "x customer=[MASKED:pattern] y");
        assert_eq!(hits.len(), 1);
        assert!(compile_patterns(&["(".into()]).is_err());
    }
}
