//! `Read + Seek` over a browser Blob, read in slices with `FileReaderSync` (workers only), so
//! archives stream from disk instead of being copied whole into wasm memory.

use std::cell::Cell;
use std::io::{Read, Seek, SeekFrom};
use std::rc::Rc;
use web_sys::{Blob, FileReaderSync};

pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    pos: u64,
    size: u64,
    /// A window of the blob already read: archives seek to each member's header, mostly a little
    /// ahead of where they were, so small members are served from the window instead of one
    /// browser read each (a `BufReader` drops its buffer on every seek).
    window: Vec<u8>,
    window_start: u64,
    /// Furthest byte read so far, shared with the progress reporter.
    pub high_water: Rc<Cell<u64>>,
}

/// Bytes fetched per browser read when the caller asks for less.
const WINDOW: u64 = 512 << 10;

impl BlobReader {
    pub fn new(blob: Blob, high_water: Rc<Cell<u64>>) -> std::io::Result<Self> {
        let reader = FileReaderSync::new().map_err(|_| std::io::Error::other("FileReaderSync is not available"))?;
        let size = blob.size() as u64;
        Ok(BlobReader { blob, reader, pos: 0, size, window: Vec::new(), window_start: 0, high_water })
    }

    /// Reads `[from, to)` of the blob into `dst` (which must be `to - from` long).
    fn fetch(&self, from: u64, to: u64, dst: &mut [u8]) -> std::io::Result<usize> {
        let slice = self.blob.slice_with_f64_and_f64(from as f64, to as f64).map_err(|_| std::io::Error::other("could not slice the file"))?;
        let ab =
            self.reader.read_as_array_buffer(&slice).map_err(|_| std::io::Error::other("the browser could not read the file (was it moved or deleted?)"))?;
        let arr = js_sys::Uint8Array::new(&ab);
        let n = (arr.length() as usize).min(dst.len());
        if let Some(d) = dst.get_mut(..n) {
            arr.subarray(0, n as u32).copy_to(d);
        }
        Ok(n)
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let in_window = self.pos >= self.window_start && self.pos < self.window_start + self.window.len() as u64;
        if !in_window {
            if buf.len() as u64 >= WINDOW {
                // Big reads go straight to the caller's buffer.
                let end = (self.pos + buf.len() as u64).min(self.size);
                let n = self.fetch(self.pos, end, buf.get_mut(..(end - self.pos) as usize).unwrap_or(&mut []))?;
                self.advance(n);
                return Ok(n);
            }
            let end = (self.pos + WINDOW).min(self.size);
            let mut w = std::mem::take(&mut self.window);
            w.resize((end - self.pos) as usize, 0);
            let n = self.fetch(self.pos, end, &mut w)?;
            w.truncate(n);
            self.window = w;
            self.window_start = self.pos;
            if n == 0 {
                return Ok(0);
            }
        }
        let off = (self.pos - self.window_start) as usize;
        let avail = self.window.get(off..).unwrap_or(&[]);
        let n = avail.len().min(buf.len());
        if let (Some(d), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
            d.copy_from_slice(src);
        }
        self.advance(n);
        Ok(n)
    }
}

impl BlobReader {
    fn advance(&mut self, n: usize) {
        self.pos += n as u64;
        if self.pos > self.high_water.get() {
            self.high_water.set(self.pos);
        }
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let new = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => self.size as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if new < 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start"));
        }
        self.pos = new.min(u64::MAX as i128) as u64;
        Ok(self.pos)
    }
}
