//! Text decoding: bytes in chunks → UTF-8 text, whatever the encoding (UTF-8 with or without BOM,
//! UTF-16 LE/BE with BOM), counting replaced bytes, recognising binary files.

use crate::model::{FileStatus, LogFile, Problem};

/// Streaming decoder for one file.
pub struct TextDecoder {
    decoder: Option<encoding_rs::Decoder>,
    head: Vec<u8>,
    out: String,
    encoding: &'static str,
    replaced: usize,
    binary: bool,
    max_line_bytes: usize,
}

const SNIFF: usize = 4096;

impl TextDecoder {
    pub fn new(max_line_bytes: usize) -> Self {
        TextDecoder {
            decoder: None,
            head: Vec::new(),
            out: String::new(),
            encoding: "utf-8",
            replaced: 0,
            binary: false,
            max_line_bytes,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if self.binary {
            return;
        }
        if self.decoder.is_none() {
            self.head.extend_from_slice(bytes);
            if self.head.len() < SNIFF {
                return;
            }
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.push(&head, false);
        } else {
            self.push(bytes, false);
        }
    }

    fn start(&mut self, head: &[u8]) {
        let (enc, name) = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            (encoding_rs::UTF_8, "utf-8-bom")
        } else if head.starts_with(&[0xFF, 0xFE]) {
            (encoding_rs::UTF_16LE, "utf-16le")
        } else if head.starts_with(&[0xFE, 0xFF]) {
            (encoding_rs::UTF_16BE, "utf-16be")
        } else {
            // Without a BOM, NUL bytes or many control bytes mean binary (UTF-16 without a BOM is
            // not written by these products).
            let ctrl = head.iter().filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))).count();
            if head.contains(&0) || ctrl * 20 > head.len().max(1) {
                self.binary = true;
            }
            (encoding_rs::UTF_8, "utf-8")
        };
        self.encoding = name;
        self.decoder = Some(enc.new_decoder_with_bom_removal());
    }

    fn push(&mut self, bytes: &[u8], last: bool) {
        if self.binary {
            return;
        }
        let Some(dec) = self.decoder.as_mut() else { return };
        let needed = dec.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
        self.out.reserve(needed);
        let (_res, _read, had_replacements) = dec.decode_to_string(bytes, &mut self.out, last);
        if had_replacements {
            self.replaced += 1;
        }
    }

    /// Ends the stream and fills the file's text, encoding, status and problems.
    pub fn finish_into(mut self, file: &mut LogFile) {
        if self.decoder.is_none() {
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.push(&head, true);
        } else {
            self.push(&[], true);
        }
        if self.binary {
            file.encoding = "binary".into();
            file.status = FileStatus::Skipped;
            file.problems.push(Problem::new("binary", format!("{}: binary file, not a log (skipped)", file.path)));
            return;
        }
        file.encoding = self.encoding.into();
        if self.replaced > 0 {
            file.problems.push(Problem::new(
                "invalid-bytes",
                format!("{}: invalid {} bytes replaced with U+FFFD", file.path, self.encoding),
            ));
        }
        let _ = self.max_line_bytes;
        file.text = self.out;
        if file.text.trim().is_empty() {
            file.status = FileStatus::Skipped;
            file.problems.push(Problem::new("empty", format!("{}: empty file", file.path)));
        }
        file.line_starts = crate::formats::engine::line_starts(&file.text);
    }
}
