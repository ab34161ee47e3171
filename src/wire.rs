//! A small byte codec for what one worker hands another (`share`): numbers little-endian, texts
//! as a length and their bytes. Reading never panics: a short or malformed buffer reads as `None`.

/// Bytes being written.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A length that must fit 32 bits (texts and lists here are far smaller; larger is written as
    /// `u32::MAX`, which no reader accepts as a length it can read).
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// `None` and `Some("")` are told apart.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
}

/// Bytes being read, front to back.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }

    /// A length, checked against what is left to read (`unit` bytes at least per item), so a
    /// corrupt count never makes a reader reserve gigabytes.
    pub fn len(&mut self, unit: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(unit.max(1)) <= self.rest.len()).then_some(n)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.len(1)?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_and_short_buffers_read_as_none() {
        let mut w = Writer::default();
        w.u8(7);
        w.u16(65_000);
        w.u32(4_000_000_000);
        w.u64(u64::MAX - 1);
        w.str("Agent 1001 — READY");
        w.opt_str(None);
        w.opt_str(Some(""));
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u8(), Some(7));
        assert_eq!(r.u16(), Some(65_000));
        assert_eq!(r.u32(), Some(4_000_000_000));
        assert_eq!(r.u64(), Some(u64::MAX - 1));
        assert_eq!(r.str(), Some("Agent 1001 — READY"));
        assert_eq!(r.opt_str(), Some(None));
        assert_eq!(r.opt_str(), Some(Some("")));
        assert!(r.is_empty());
        assert_eq!(r.u8(), None);
        // Every cut of the buffer reads as far as it goes and then `None`, never a panic.
        for cut in 0..w.bytes.len() {
            let mut r = Reader::new(&w.bytes[..cut]);
            let read = (|| Some((r.u8()?, r.u16()?, r.u32()?, r.u64()?, r.str()?.len(), r.opt_str()?, r.opt_str()?)))();
            assert!(read.is_none(), "cut at {cut}");
        }
        // A length larger than the rest, and a text that is not UTF-8.
        let mut w = Writer::default();
        w.u32(1 << 30);
        assert_eq!(Reader::new(&w.bytes).str(), None);
        let mut w = Writer::default();
        w.len(2);
        w.bytes.extend_from_slice(&[0xff, 0xfe]);
        assert_eq!(Reader::new(&w.bytes).str(), None);
    }
}
