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
    /// Furthest byte read so far, shared with the progress reporter.
    pub high_water: Rc<Cell<u64>>,
}

impl BlobReader {
    pub fn new(blob: Blob, high_water: Rc<Cell<u64>>) -> std::io::Result<Self> {
        let reader = FileReaderSync::new().map_err(|_| std::io::Error::other("FileReaderSync is not available"))?;
        let size = blob.size() as u64;
        Ok(BlobReader { blob, reader, pos: 0, size, high_water })
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = (self.pos + buf.len() as u64).min(self.size);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(|_| std::io::Error::other("could not slice the file"))?;
        let ab = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|_| std::io::Error::other("the browser could not read the file (was it moved or deleted?)"))?;
        let arr = js_sys::Uint8Array::new(&ab);
        let n = (arr.length() as usize).min(buf.len());
        if let Some(dst) = buf.get_mut(..n) {
            arr.subarray(0, n as u32).copy_to(dst);
        }
        self.pos += n as u64;
        if self.pos > self.high_water.get() {
            self.high_water.set(self.pos);
        }
        Ok(n)
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
