//! Text decoding: bytes in chunks → UTF-8 text, whatever the encoding (UTF-8 with or without BOM,
//! UTF-16 LE/BE with BOM), counting the invalid bytes it replaces, splitting over-long lines and
//! recognising binary files from their first bytes.
//!
//! The decoder never trusts a size it is told: it grows its output as text arrives, one chunk at a
//! time, and the caller decides when to stop feeding it (size and ratio caps live in `ingest`).

use crate::model::{FileStatus, LogFile, Problem};
use encoding_rs::DecoderResult;

/// How many leading bytes are looked at before the encoding (or "binary") is decided.
pub const SNIFF: usize = 4096;

/// Streaming decoder for one file.
pub struct TextDecoder {
    decoder: Option<encoding_rs::Decoder>,
    /// Bytes held back until `SNIFF` bytes have arrived (or the stream ends).
    head: Vec<u8>,
    out: String,
    encoding: &'static str,
    /// Invalid input bytes replaced with U+FFFD.
    replaced_bytes: u64,
    binary: Option<String>,
    max_line_bytes: usize,
    /// Length in bytes of the (output) line being written, since its last line break.
    line_len: usize,
    /// Input lines that were longer than `max_line_bytes` and were split.
    split_lines: u64,
    /// True while the current input line has already been split once.
    in_split: bool,
    /// The size the file was said to have (`reserve_hint`; 0 when unknown).
    hint: usize,
}

/// Input decoded per round by `push`, and the room past a size hint its last round may ask for.
const ROUND: usize = 64 * 1024;
const ROUND_SLACK: usize = ROUND * 3 + 64;
/// The room past a small file's size hint: its UTF-8 text is at most its size, and the decoder
/// asks for a few bytes more than a round's input.
const SMALL_SLACK: usize = 64;

impl TextDecoder {
    pub fn new(max_line_bytes: usize) -> Self {
        TextDecoder {
            decoder: None,
            head: Vec::new(),
            out: String::new(),
            encoding: "utf-8",
            replaced_bytes: 0,
            binary: None,
            max_line_bytes: max_line_bytes.max(16),
            line_len: 0,
            split_lines: 0,
            in_split: false,
            hint: 0,
        }
    }

    /// Asks for room for about `bytes` of text at once (a hint: the text may come out shorter or
    /// longer; nothing happens when the memory is not there).
    pub fn reserve_hint(&mut self, bytes: usize) {
        // With room for the last round's worst case (`push` reserves a round's longest possible
        // output): without it the last round of a file read to its hinted size doubled the text's
        // buffer, twice the file held at once until `finish_into` gave it back. A file smaller
        // than a round is asked for its size and a little (`start` adds room when it turns out to
        // be UTF-16): a round's slack on each of thousands of 16 KiB files was twelve times their
        // text, and what `finish_into` gave back left the heap in pieces (wasm memory 3.5× the
        // text where it was 2.5×; natively each text got a mapping of its own).
        self.hint = bytes;
        let slack = if bytes < ROUND { SMALL_SLACK } else { ROUND_SLACK };
        let _ = self.out.try_reserve_exact(bytes.saturating_add(slack));
    }

    /// True once the first bytes showed the file is not text; feeding more does nothing.
    pub fn is_binary(&self) -> bool {
        self.binary.is_some()
    }

    /// Bytes of decoded text held so far.
    pub fn text_len(&self) -> usize {
        self.out.len()
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if self.binary.is_some() {
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
            self.binary = binary_reason(head);
            (encoding_rs::UTF_8, "utf-8")
        };
        self.encoding = name;
        if enc != encoding_rs::UTF_8 && self.hint < ROUND {
            // UTF-16 comes out as up to one and a half times its bytes in UTF-8.
            let _ = self.out.try_reserve_exact(self.hint.saturating_mul(3) / 2 + SMALL_SLACK);
        }
        self.decoder = Some(enc.new_decoder_with_bom_removal());
        // A JSON document (a HAR, minified as some tools save it) is read by its structure, not by
        // lines: a line break put into a long line would cut a string and make it invalid.
        if json_document(head) {
            self.max_line_bytes = usize::MAX;
        }
    }

    fn push(&mut self, mut bytes: &[u8], last: bool) {
        if self.binary.is_some() {
            return;
        }
        let Some(mut dec) = self.decoder.take() else { return };
        let mut out = std::mem::take(&mut self.out);
        loop {
            // Decode at most 64 KiB of input per round, straight onto the text (no second copy);
            // the round's text is then checked for over-long lines.
            let take = bytes.len().min(ROUND);
            let (now, rest) = bytes.split_at(take);
            let now_last = last && rest.is_empty();
            let before = out.len();
            let cap = dec.max_utf8_buffer_length_without_replacement(now.len()).unwrap_or(now.len().saturating_mul(3)).saturating_add(16);
            out.reserve(cap);
            let mut input = now;
            loop {
                let (res, read) = dec.decode_to_string_without_replacement(input, &mut out, now_last);
                input = input.get(read..).unwrap_or(&[]);
                match res {
                    DecoderResult::InputEmpty => break,
                    DecoderResult::Malformed(bad, _) => {
                        self.replaced_bytes = self.replaced_bytes.saturating_add(u64::from(bad.max(1)));
                        out.push('\u{FFFD}');
                    }
                    DecoderResult::OutputFull => {
                        let more = dec.max_utf8_buffer_length_without_replacement(input.len()).unwrap_or(input.len().saturating_mul(3)).saturating_add(16);
                        out.reserve(more);
                    }
                }
            }
            if !self.accept_appended(out.get(before..).unwrap_or("")) {
                // A line went over the cap: redo this round's text through the splitting path.
                let round = out.split_off(before);
                self.out = out;
                self.append_split_slow(&round);
                out = std::mem::take(&mut self.out);
            }
            bytes = rest;
            if bytes.is_empty() {
                break;
            }
        }
        self.out = out;
        self.decoder = Some(dec);
    }

    /// For text already appended: true (and the line state updated) when no line in it goes over
    /// `max_line_bytes`, the usual case; false leaves the state as it was.
    fn accept_appended(&mut self, s: &str) -> bool {
        let b = s.as_bytes();
        let mut run = self.line_len;
        let mut last_nl: Option<usize> = None;
        let mut fits = true;
        for nl in memchr::memchr_iter(b'\n', b) {
            let start = last_nl.map_or(0, |p| p + 1);
            let cr = usize::from(nl > start && b.get(nl - 1) == Some(&b'\r'));
            if run + (nl - start - cr) > self.max_line_bytes {
                fits = false;
                break;
            }
            run = 0;
            last_nl = Some(nl);
        }
        let tail = b.len() - last_nl.map_or(0, |p| p + 1);
        if !(fits && run + tail <= self.max_line_bytes) {
            return false;
        }
        match last_nl {
            Some(_) => {
                self.line_len = tail;
                self.in_split = false;
            }
            None => self.line_len += tail,
        }
        true
    }

    /// Appends decoded text, breaking any line longer than `max_line_bytes` (at a character boundary).
    fn append_split_slow(&mut self, mut s: &str) {
        while !s.is_empty() {
            let room = self.max_line_bytes.saturating_sub(self.line_len);
            match memchr::memchr(b'\n', s.as_bytes()) {
                Some(nl) if nl.saturating_sub(usize::from(nl > 0 && s.as_bytes().get(nl - 1) == Some(&b'\r'))) <= room => {
                    let (a, b) = s.split_at(nl + 1);
                    self.out.push_str(a);
                    self.line_len = 0;
                    self.in_split = false;
                    s = b;
                }
                _ if s.len() <= room => {
                    self.out.push_str(s);
                    self.line_len = self.line_len.saturating_add(s.len());
                    return;
                }
                _ => {
                    // The line would grow past the limit: cut it at the last char boundary that fits.
                    let mut cut = room.min(s.len());
                    while cut > 0 && !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    if cut == 0 && self.line_len == 0 {
                        // A single character longer than the room (tiny limits): take it whole.
                        cut = s.char_indices().nth(1).map(|(i, _)| i).unwrap_or(s.len());
                    }
                    let (a, b) = s.split_at(cut);
                    self.out.push_str(a);
                    self.out.push('\n');
                    self.line_len = 0;
                    if !self.in_split {
                        self.in_split = true;
                        self.split_lines = self.split_lines.saturating_add(1);
                    }
                    s = b;
                }
            }
        }
    }

    /// Decodes what is held back: the head of a stream shorter than `SNIFF`, or the decoder's
    /// last bytes.
    fn end_stream(&mut self) {
        if self.decoder.is_none() {
            let head = std::mem::take(&mut self.head);
            self.start(&head);
            self.push(&head, true);
        } else {
            self.push(&[], true);
        }
    }

    /// Ends the stream and fills the file's text, encoding, status and problems.
    pub fn finish_into(mut self, file: &mut LogFile) {
        self.end_stream();
        if let Some(reason) = self.binary.take() {
            file.encoding = "binary".into();
            file.status = FileStatus::Skipped;
            file.problems.push(Problem::new("binary", format!("{}: binary file, not a log ({reason}); skipped", file.path)));
            return;
        }
        file.encoding = self.encoding.into();
        if self.replaced_bytes > 0 {
            let what = match self.encoding {
                "utf-16le" | "utf-16be" => "UTF-16",
                _ => "UTF-8",
            };
            let s = if self.replaced_bytes == 1 { "" } else { "s" };
            file.problems.push(Problem::new("invalid-bytes", format!("{}: {} invalid {what} byte{s} replaced with U+FFFD", file.path, self.replaced_bytes)));
        }
        if self.split_lines > 0 {
            let s = if self.split_lines == 1 { " was" } else { "s were" };
            file.problems.push(Problem::new(
                "long-line",
                format!("{}: {} line{s} longer than {} bytes and split into pieces", file.path, self.split_lines, self.max_line_bytes),
            ));
        }
        // Growth left up to half the text's capacity unused; give it back (shrinking reallocates in
        // place) — the text of every file is kept for the whole session.
        self.out.shrink_to_fit();
        file.text = self.out;
        if file.text.trim().is_empty() {
            file.status = FileStatus::Skipped;
            let why = if file.text.is_empty() { "empty file" } else { "only blank lines" };
            file.problems.push(Problem::new("empty", format!("{}: {why}; skipped", file.path)));
        }
        file.line_starts = crate::formats::engine::line_starts(&file.text);
    }
}

/// The decoder's contract on arbitrary bytes, for the `text_decode` fuzz target and the tests that
/// keep what it found: the first byte picks a line limit and a chunk size, the rest is fed in
/// chunks of that size; the text that comes out has no line over the limit, unless it is a JSON
/// document (a HAR, minified or not, is read by its structure and keeps long lines). Err says how
/// the contract was broken.
pub fn check_chunked_decode(data: &[u8]) -> Result<(), String> {
    let Some((&split, rest)) = data.split_first() else { return Ok(()) };
    let max_line = 16 + usize::from(split % 64);
    let step = 1 + usize::from(split);
    let mut dec = TextDecoder::new(max_line);
    for chunk in rest.chunks(step) {
        dec.feed(chunk);
    }
    let mut f = LogFile::new("fuzz.log", rest.len() as u64);
    dec.finish_into(&mut f);
    if f.status != FileStatus::Loaded || json_document(rest) {
        return Ok(());
    }
    match f.text.split('\n').map(|l| l.trim_end_matches('\r')).find(|l| l.len() > max_line.max(4)) {
        Some(line) => Err(format!("line of {} > {max_line}: {line:?}", line.len())),
        None => Ok(()),
    }
}

/// True when UTF-8 text starts (after a BOM and blanks) with `{`, `[` or a JSONP callback `name({`.
pub fn json_document(head: &[u8]) -> bool {
    let h = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let h = h.get(h.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(h.len())..).unwrap_or(&[]);
    match h.first() {
        Some(b'{' | b'[') => true,
        Some(_) => {
            let ident = h.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))).unwrap_or(h.len());
            let rest = h.get(ident..).unwrap_or(&[]);
            let rest = rest.get(rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len())..).unwrap_or(&[]);
            ident > 0 && rest.first() == Some(&b'(') && rest.get(1..).unwrap_or(&[]).iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        }
        None => false,
    }
}

/// Why the first bytes of a file (without a BOM) look binary, if they do. UTF-16 without a BOM is
/// not written by these products, so a NUL byte means binary.
fn binary_reason(head: &[u8]) -> Option<String> {
    if head.is_empty() {
        return None;
    }
    if let Some(kind) = known_binary(head) {
        return Some(kind.to_string());
    }
    if let Some(pos) = memchr::memchr(0, head) {
        return Some(format!("NUL byte at offset {pos}"));
    }
    let ctrl = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)).count();
    if ctrl.saturating_mul(20) > head.len() {
        return Some(format!("{ctrl} control bytes in the first {} bytes", head.len()));
    }
    None
}

/// Common binary formats engineers find in log bundles, by magic bytes.
fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x7fELF", "ELF executable"),
        (b"MZ", "Windows executable"),
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"\xd4\xc3\xb2\xa1", "pcap capture"),
        (b"\xa1\xb2\xc3\xd4", "pcap capture"),
        (b"\x0a\x0d\x0d\x0a", "pcapng capture"),
        (b"BZh", "bzip2 data"),
        (b"\xfd7zXZ\x00", "xz data"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
        (b"SQLite format 3\x00", "SQLite database"),
    ];
    MAGICS.iter().find(|(m, _)| head.starts_with(m)).map(|(_, k)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_its_hinted_size_is_decoded_in_the_room_asked_for() {
        for h in [0usize, 1, 100, 5_000, 16 << 10, 100 << 10, 300 << 10, 1 << 20] {
            for utf16 in [false, true] {
                let lines = "10:00:00.001 INFO a line of the file é\n".repeat(h / 20 + 1);
                let mut bytes: Vec<u8> =
                    if utf16 { [0xFF, 0xFE].into_iter().chain(lines.encode_utf16().flat_map(u16::to_le_bytes)).collect() } else { lines.into_bytes() };
                bytes.truncate(h);
                let mut d = TextDecoder::new(1 << 20);
                d.reserve_hint(bytes.len());
                let (at, room) = (d.out.as_ptr(), d.out.capacity());
                // Small files ask for their size and a little, not a round's slack.
                assert!(room <= h + if h < ROUND { SMALL_SLACK } else { ROUND_SLACK }, "{h} {utf16}: {room}");
                for c in bytes.chunks(256 << 10) {
                    d.feed(c);
                }
                d.end_stream();
                // No growth past the room asked for, except once when a small file turned out to
                // be UTF-16 (then by exactly the room `start` asked for).
                if utf16 && h < ROUND && h > 0 {
                    assert!(d.out.capacity() <= h * 3 / 2 + SMALL_SLACK, "{h}: {}", d.out.capacity());
                } else {
                    assert_eq!((d.out.as_ptr(), d.out.capacity()), (at, room), "{h} {utf16}: the text grew");
                }
            }
        }
    }

    fn decode(chunks: &[&[u8]], max_line: usize) -> LogFile {
        let mut d = TextDecoder::new(max_line);
        for c in chunks {
            d.feed(c);
        }
        let mut f = LogFile::new("t.log", 0);
        d.finish_into(&mut f);
        f
    }

    #[test]
    fn counts_invalid_bytes_across_chunks() {
        let f = decode(&[b"ok \xff\xfe x", b"\xe2\x82", b" y\n"], 1 << 20);
        assert_eq!(f.text, "ok \u{FFFD}\u{FFFD} x\u{FFFD} y\n");
        assert!(f.problems[0].message.contains("4 invalid UTF-8 bytes"), "{:?}", f.problems);
    }

    #[test]
    fn splits_long_lines_and_counts_them() {
        let mut s = "a".repeat(50);
        s.push('\n');
        s.push_str(&"b".repeat(10));
        s.push('\n');
        let f = decode(&[s.as_bytes()], 16);
        assert!(f.text.lines().all(|l| l.len() <= 16));
        assert_eq!(f.text.replace('\n', ""), s.replace('\n', ""));
        assert!(f.problems[0].message.contains("1 line was longer than 16"), "{:?}", f.problems);
    }

    #[test]
    fn split_respects_char_boundaries() {
        let s = "é".repeat(40);
        let f = decode(&[s.as_bytes()], 17);
        assert_eq!(f.text.replace('\n', ""), s);
    }

    #[test]
    fn json_documents_keep_their_long_lines() {
        let long = format!("{{\"log\":{{\"entries\":[\"{}\"]}}}}", "x".repeat(100));
        for text in [long.clone(), format!("\u{feff} \n{long}"), format!("onInputData ( {long});")] {
            let f = decode(&[text.as_bytes()], 32);
            assert_eq!(f.text.trim_start_matches('\u{feff}'), text.trim_start_matches('\u{feff}'));
            assert!(f.problems.is_empty(), "{:?}", f.problems);
        }
        let f = decode(&[format!("log: {long}").as_bytes()], 32);
        assert!(f.problems.iter().any(|p| p.code == "long-line"));
    }

    #[test]
    fn utf16_and_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "héllo\r\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let f = decode(&[&le[..3], &le[3..]], 1 << 20);
        assert_eq!((f.text.as_str(), f.encoding.as_str()), ("héllo\r\n", "utf-16le"));
        let f = decode(&[b"\xEF\xBB\xBFabc\n"], 1 << 20);
        assert_eq!((f.text.as_str(), f.encoding.as_str()), ("abc\n", "utf-8-bom"));
    }

    #[test]
    fn binary_and_empty() {
        let f = decode(&[b"abc\x00def"], 1 << 20);
        assert_eq!(f.status, FileStatus::Skipped);
        assert_eq!(f.problems[0].code, "binary");
        let f = decode(&[], 1 << 20);
        assert_eq!(f.problems[0].code, "empty");
    }
}
