//! Checks a Parquet row group's pages before the `parquet` crate reads them. The crate trusts
//! what a page header declares: it reserves the declared uncompressed size (up to 2 GiB) and
//! any byte string's declared length inside the header, and inflates a gzip page to its end
//! whatever the header says. So each page header is walked here (Thrift compact protocol)
//! against the bytes its column chunk really holds and fixed ceilings, and gzip pages are
//! inflated through a bounded reader first: a crafted file is refused, never allocated for.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use parquet::basic::Compression;
use parquet::file::metadata::RowGroupMetaData;

/// What one page may unpack to.
pub const PAGE_LIMIT: u64 = 16 * 1024 * 1024;
/// What the pages of one row group may unpack to, together.
pub const GROUP_LIMIT: u64 = 128 * 1024 * 1024;
/// The longest page header read (statistics can make them long, never this long).
const HEADER_LIMIT: u64 = 1024 * 1024;
/// Nesting of Thrift structures and lists in a header.
const DEPTH_LIMIT: usize = 16;

/// Whether the pages of `group` in `file` stay within the limits.
pub fn check_row_group(file: &File, group: &RowGroupMetaData) -> Result<(), String> {
    let mut unpacked = 0u64;
    for column in group.columns() {
        let gzip = match column.compression() {
            Compression::UNCOMPRESSED | Compression::SNAPPY => false,
            Compression::GZIP(_) => true,
            other => return Err(format!("its pages are compressed with {other}, not read here")),
        };
        let (start, length) = column.byte_range();
        let end = start.checked_add(length).ok_or("a column chunk lies outside the file")?;
        let mut offset = start;
        while offset < end {
            let page = read_header(file, offset, end)?;
            offset += page.header_length;
            if page.compressed > end - offset {
                return Err("a page runs past its column chunk".to_owned());
            }
            let size = if gzip {
                inflated_size(file, offset, &page)?.max(page.uncompressed)
            } else {
                page.uncompressed
            };
            if size > PAGE_LIMIT {
                return Err(format!("a page unpacks to more than {} MB", PAGE_LIMIT >> 20));
            }
            unpacked += size;
            if unpacked > GROUP_LIMIT {
                return Err(format!("a row group unpacks to more than {} MB", GROUP_LIMIT >> 20));
            }
            offset += page.compressed;
        }
    }
    Ok(())
}

/// What a page header says about the bytes that follow it.
#[derive(Debug, Default, PartialEq, Eq)]
struct PageHeader {
    header_length: u64,
    uncompressed: u64,
    compressed: u64,
    /// A v2 data page's level bytes, which precede its compressed values uncompressed.
    levels: u64,
    /// A v2 data page may say its values are not compressed.
    values_compressed: bool,
}

/// Reads the page header at `offset`, growing the read until the header is whole.
fn read_header(file: &File, offset: u64, end: u64) -> Result<PageHeader, String> {
    let available = end - offset;
    let mut want = 4096u64;
    loop {
        let take = want.min(available).min(HEADER_LIMIT);
        let bytes = read_at(file, offset, take)?;
        match parse_header(&bytes, available) {
            Ok(header) => return Ok(header),
            Err(Walk::Incomplete) if take < available.min(HEADER_LIMIT) => want *= 16,
            Err(Walk::Incomplete) => return Err("a page header is cut short".to_owned()),
            Err(Walk::Bad(why)) => return Err(why.to_owned()),
        }
    }
}

fn read_at(file: &File, offset: u64, length: u64) -> Result<Vec<u8>, String> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(offset)).map_err(|_| "the file cannot be read")?;
    let mut bytes = Vec::new();
    reader.take(length).read_to_end(&mut bytes).map_err(|_| "the file cannot be read")?;
    Ok(bytes)
}

/// How big a gzip page really is once inflated, reading at most one byte past the limit.
fn inflated_size(file: &File, offset: u64, page: &PageHeader) -> Result<u64, String> {
    if !page.values_compressed || page.compressed <= page.levels {
        return Ok(page.uncompressed);
    }
    let mut reader = file;
    reader.seek(SeekFrom::Start(offset + page.levels)).map_err(|_| "the file cannot be read")?;
    let compressed = reader.take(page.compressed - page.levels);
    let mut inflated = flate2::read::MultiGzDecoder::new(compressed).take(PAGE_LIMIT + 1);
    let size =
        std::io::copy(&mut inflated, &mut std::io::sink()).map_err(|_| "a gzip page is damaged")?;
    Ok(page.levels + size)
}

#[derive(Debug, PartialEq, Eq)]
enum Walk {
    /// More bytes are needed to finish the header.
    Incomplete,
    Bad(&'static str),
}

/// Parses a `PageHeader` (Thrift compact protocol) at the start of `bytes`; `room` is what the
/// column chunk holds from there, which no declared length may pass.
fn parse_header(bytes: &[u8], room: u64) -> Result<PageHeader, Walk> {
    let mut walker = Walker { bytes, at: 0, room };
    let mut header = PageHeader { values_compressed: true, ..PageHeader::default() };
    walker.fields(0, &mut |walker, id, kind| match (id, kind) {
        (2, I32) => {
            header.uncompressed = walker.size()?;
            Ok(true)
        }
        (3, I32) => {
            header.compressed = walker.size()?;
            Ok(true)
        }
        (8, STRUCT) => {
            let (mut definition, mut repetition) = (0, 0);
            walker.fields(1, &mut |walker, id, kind| match (id, kind) {
                (5, I32) => {
                    definition = walker.size()?;
                    Ok(true)
                }
                (6, I32) => {
                    repetition = walker.size()?;
                    Ok(true)
                }
                (7, FALSE) => {
                    header.values_compressed = false;
                    Ok(true)
                }
                _ => Ok(false),
            })?;
            header.levels = definition + repetition;
            Ok(true)
        }
        _ => Ok(false),
    })?;
    header.header_length = walker.at as u64;
    if header.levels > header.uncompressed || header.levels > header.compressed {
        return Err(Walk::Bad("a page header's level lengths do not fit the page"));
    }
    Ok(header)
}

// Thrift compact protocol type codes.
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

struct Walker<'a> {
    bytes: &'a [u8],
    at: usize,
    room: u64,
}

type Field<'w, 'a> = dyn FnMut(&mut Walker<'a>, i16, u8) -> Result<bool, Walk> + 'w;

impl<'a> Walker<'a> {
    fn byte(&mut self) -> Result<u8, Walk> {
        let byte = *self.bytes.get(self.at).ok_or(Walk::Incomplete)?;
        self.at += 1;
        Ok(byte)
    }

    fn varint(&mut self) -> Result<u64, Walk> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Walk::Bad("a page header holds a malformed number"))
    }

    fn zigzag(&mut self) -> Result<i64, Walk> {
        let raw = self.varint()?;
        Ok((raw >> 1) as i64 ^ -((raw & 1) as i64))
    }

    /// A size field: a non-negative 32-bit number.
    fn size(&mut self) -> Result<u64, Walk> {
        let value = self.zigzag()?;
        u64::try_from(value)
            .ok()
            .filter(|v| *v <= i32::MAX as u64)
            .ok_or(Walk::Bad("a page header holds a negative or oversized length"))
    }

    /// A count or length that must fit in what the chunk still holds.
    fn length(&mut self) -> Result<u64, Walk> {
        let length = self.varint()?;
        if length > self.room.saturating_sub(self.at as u64) {
            return Err(Walk::Bad("a page header declares more bytes than its column holds"));
        }
        Ok(length)
    }

    fn skip_bytes(&mut self, length: u64) -> Result<(), Walk> {
        let end = self.at.checked_add(length as usize).ok_or(Walk::Incomplete)?;
        if end > self.bytes.len() {
            return Err(Walk::Incomplete);
        }
        self.at = end;
        Ok(())
    }

    /// Walks a struct's fields, giving each to `seen` (which says whether it consumed the
    /// value) and skipping the rest.
    fn fields(&mut self, depth: usize, seen: &mut Field<'_, 'a>) -> Result<(), Walk> {
        if depth > DEPTH_LIMIT {
            return Err(Walk::Bad("a page header nests too deep"));
        }
        let mut id: i16 = 0;
        loop {
            let head = self.byte()?;
            if head == 0 {
                return Ok(());
            }
            let (delta, kind) = (head >> 4, head & 0x0f);
            id = if delta == 0 {
                i16::try_from(self.zigzag()?).map_err(|_| Walk::Bad("a bad field id"))?
            } else {
                id.checked_add(i16::from(delta)).ok_or(Walk::Bad("a bad field id"))?
            };
            if !seen(self, id, kind)? {
                self.skip(kind, depth)?;
            }
        }
    }

    fn skip(&mut self, kind: u8, depth: usize) -> Result<(), Walk> {
        match kind {
            TRUE | FALSE => Ok(()),
            BYTE => self.byte().map(drop),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.skip_bytes(8),
            BINARY => {
                let length = self.length()?;
                self.skip_bytes(length)
            }
            LIST | SET => {
                let head = self.byte()?;
                let count = match head >> 4 {
                    15 => self.length()?,
                    n => u64::from(n),
                };
                let element = head & 0x0f;
                for _ in 0..count {
                    // In a list, booleans take a byte each.
                    if matches!(element, TRUE | FALSE) {
                        self.byte()?;
                    } else {
                        self.skip(element, depth + 1)?;
                    }
                }
                Ok(())
            }
            MAP => {
                let count = self.length()?;
                if count == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..count {
                    self.skip(kinds >> 4, depth + 1)?;
                    self.skip(kinds & 0x0f, depth + 1)?;
                }
                Ok(())
            }
            STRUCT => self.fields(depth + 1, &mut |_, _, _| Ok(false)),
            _ => Err(Walk::Bad("a page header holds an unknown value type")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compact-protocol bytes of a data page header (v1) with these sizes.
    fn header(uncompressed: u32, compressed: u32) -> Vec<u8> {
        let zigzag = |v: i64| ((v << 1) ^ (v >> 63)) as u64;
        let varint = |mut v: u64, out: &mut Vec<u8>| loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        };
        let mut out = vec![0x15];
        varint(zigzag(0), &mut out);
        out.push(0x15);
        varint(zigzag(i64::from(uncompressed)), &mut out);
        out.push(0x15);
        varint(zigzag(i64::from(compressed)), &mut out);
        // Field 5: a data page header struct with num_values = 3.
        out.push(0x2c);
        out.push(0x15);
        varint(zigzag(3), &mut out);
        out.push(0x00);
        out.push(0x00);
        out
    }

    #[test]
    fn a_header_gives_its_sizes_and_length() {
        let bytes = header(1000, 400);
        let parsed = parse_header(&bytes, 10_000).unwrap();
        assert_eq!(
            (parsed.uncompressed, parsed.compressed, parsed.header_length),
            (1000, 400, bytes.len() as u64)
        );
        assert_eq!(parse_header(&bytes[..bytes.len() - 1], 10_000), Err(Walk::Incomplete));
    }

    #[test]
    fn declared_lengths_past_the_chunk_and_deep_nesting_are_refused() {
        // A binary field (id 4, type 8) claiming 2^40 bytes.
        let mut long = vec![0x48];
        let mut v = 1u64 << 40;
        while v >= 0x80 {
            long.push((v as u8) | 0x80);
            v >>= 7;
        }
        long.push(v as u8);
        assert!(matches!(parse_header(&long, 1_000_000), Err(Walk::Bad(_))));
        let deep = vec![0x1c; 64];
        assert!(matches!(parse_header(&deep, 1_000_000), Err(Walk::Bad(_))));
        let negative = [0x15, 0x00, 0x15, 0x01, 0x00];
        assert!(matches!(parse_header(&negative, 100), Err(Walk::Bad(_))));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for length in 0..2000usize {
            let bytes: Vec<u8> = (0..length % 97)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let _ = parse_header(&bytes, length as u64);
        }
    }
}
