//! Container detection by magic bytes (never by extension: RTMT names zips `.zip`, but engineers
//! rename, and `file get activelog` bundles arrive as `.tar.gz`, `.tgz`, `.gz` or nothing at all).

use std::io::Read;

/// How many leading bytes are read to decide (a tar header is 512 bytes).
pub const HEAD: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Gzip,
    Tar,
    /// Anything else: handed to the text decoder (which recognises binary files itself).
    Plain,
}

pub fn kind(head: &[u8]) -> Kind {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08PK\x03\x04") {
        Kind::Zip
    } else if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Kind::Gzip
    } else if is_tar_header(head) {
        Kind::Tar
    } else {
        Kind::Plain
    }
}

/// A tar header: `ustar` magic at 257, or (old v7 tar) a valid header checksum and a file name.
fn is_tar_header(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else { return false };
    if block.get(257..262) == Some(b"ustar") {
        return true;
    }
    // v7: checksum field (octal, at 148..156) equals the sum of all bytes with the field as spaces.
    if block.first().is_none_or(|&b| b == 0) {
        return false;
    }
    let Some(field) = block.get(148..156) else { return false };
    let digits: Vec<u8> = field.iter().copied().filter(|b| (b'0'..=b'7').contains(b)).collect();
    if digits.is_empty() || field.iter().any(|&b| !matches!(b, b'0'..=b'7' | b' ' | 0)) {
        return false;
    }
    let mut want: u64 = 0;
    for d in digits {
        want = want.saturating_mul(8).saturating_add(u64::from(d - b'0'));
    }
    let sum: u64 = block.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { u64::from(b' ') } else { u64::from(b) }).sum();
    sum == want
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
pub fn read_head(r: &mut dyn Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let Some(dst) = head.get_mut(got..) else { break };
        match r.read(dst) {
            Ok(0) => break,
            Ok(k) => got = got.saturating_add(k).min(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    Ok(head)
}
