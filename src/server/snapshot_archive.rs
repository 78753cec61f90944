//! Unpacking a run's code snapshot: a `.zip`, `.tar.gz`/`.tgz` or `.tar` archive of its
//! scripts. Everything is read into memory under fixed limits (an archive is at most 8 MB, and
//! what it unpacks to is capped too, so a zip bomb stops early), and every entry's path must be a
//! plain relative path: links, devices and entries that climb out are refused, not skipped, so
//! what the snapshot shows is what was sent.

use std::io::Read;

use crate::domain::datastore::StoredPath;
use crate::domain::Invalid;

/// At most this many files in one snapshot.
pub const MAX_FILES: usize = 2_000;
/// At most this many bytes once unpacked.
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// At most this many bytes of tar stream: the files' bytes, and room for each file's headers
/// (a 512-byte header and up to 4 KB of long names or PAX records). The tar reader reads a
/// long-name or PAX header whole into memory before any file counts, so the stream itself is
/// capped: a header that claims gigabytes stops here.
pub const MAX_TAR_STREAM: u64 = MAX_UNPACKED + (MAX_FILES as u64 + 16) * (512 + 4096 + 1024);

pub struct SnapshotFile {
    pub path: StoredPath,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Zip,
    TarGz,
    Tar,
}

fn format_of(name: &str) -> Result<Format, Invalid> {
    let lower = name.trim().to_ascii_lowercase();
    if lower.ends_with(".zip") {
        Ok(Format::Zip)
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        Ok(Format::TarGz)
    } else if lower.ends_with(".tar") {
        Ok(Format::Tar)
    } else {
        Err(Invalid::new("A code snapshot is a .zip, .tar.gz, .tgz or .tar archive."))
    }
}

/// The files in the archive called `name`, in archive order.
pub fn unpack(name: &str, bytes: &[u8]) -> Result<Vec<SnapshotFile>, Invalid> {
    let mut files = Files::default();
    match format_of(name)? {
        Format::Zip => unpack_zip(bytes, &mut files)?,
        Format::TarGz => {
            let stream = Capped::new(flate2::read::GzDecoder::new(bytes), MAX_TAR_STREAM);
            unpack_tar(stream, &mut files)?
        }
        Format::Tar => unpack_tar(Capped::new(bytes, MAX_TAR_STREAM), &mut files)?,
    }
    if files.list.is_empty() {
        return Err(Invalid::new("The archive holds no files."));
    }
    Ok(files.list)
}

/// The files read so far, with the limits kept as they grow.
#[derive(Default)]
struct Files {
    list: Vec<SnapshotFile>,
    unpacked: u64,
    seen: std::collections::HashSet<String>,
    /// The folders the files so far are in: a file cannot be one of them, nor be in a file.
    folders: std::collections::HashSet<String>,
}

impl Files {
    fn add(&mut self, raw_path: &str, reader: impl Read) -> Result<(), Invalid> {
        let path = StoredPath::parse(raw_path).map_err(|e| {
            Invalid::new(format!("The archive's entry {raw_path:?} cannot be kept: {e}"))
        })?;
        if self.list.len() == MAX_FILES {
            return Err(Invalid::new("A code snapshot holds at most 2,000 files."));
        }
        if !self.seen.insert(path.as_str().to_owned()) {
            return Err(Invalid::new(format!("The archive holds {} twice.", path.as_str())));
        }
        let above: Vec<&str> =
            path.as_str().match_indices('/').map(|(at, _)| &path.as_str()[..at]).collect();
        let clash = std::iter::once(path.as_str())
            .filter(|p| self.folders.contains(*p))
            .chain(above.iter().copied().filter(|folder| self.seen.contains(*folder)))
            .next();
        if let Some(name) = clash {
            return Err(Invalid::new(format!(
                "The archive holds {name} both as a file and as a folder."
            )));
        }
        self.folders.extend(above.into_iter().map(str::to_owned));
        let room = MAX_UNPACKED - self.unpacked;
        let mut bytes = Vec::new();
        // One byte more than the room left tells "too large" from "exactly fits".
        reader.take(room + 1).read_to_end(&mut bytes).map_err(|e| read_failure(&e))?;
        if bytes.len() as u64 > room {
            return Err(Invalid::new("A code snapshot unpacks to at most 64 MB."));
        }
        self.unpacked += bytes.len() as u64;
        self.list.push(SnapshotFile { path, bytes });
        Ok(())
    }
}

/// A reader that fails once more than `limit` bytes came through it, so whatever reads from it
/// (the tar reader, with its own buffers) can never pull more than that out of a decompressor.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, limit: u64) -> Self {
        Self { inner, left: limit }
    }
}

/// The error a `Capped` reader gives, told apart from damage when the tar reader passes it on.
#[derive(Debug)]
struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the archive unpacks to too much")
    }
}

impl std::error::Error for TooLarge {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // Whether anything follows: one more byte means the cap was passed.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(TooLarge)),
            };
        }
        let room = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..room])?;
        self.left -= read as u64;
        Ok(read)
    }
}

/// What a failed read of an archive means for its sender.
fn read_failure(error: &std::io::Error) -> Invalid {
    if passed_the_cap(error) {
        Invalid::new("A code snapshot unpacks to at most 64 MB.")
    } else {
        damaged()
    }
}

/// Whether `error` comes from a `Capped` reader, however deep the tar reader wrapped it (an
/// `io::Error`'s own `source` skips the error it wraps, so that one is looked at too).
fn passed_the_cap(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<TooLarge>() {
        return true;
    }
    let wrapped = error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
    if wrapped.is_some_and(|inner| passed_the_cap(inner)) {
        return true;
    }
    error.source().is_some_and(passed_the_cap)
}

fn damaged() -> Invalid {
    Invalid::new("The archive is damaged; it cannot be unpacked.")
}

fn unpack_zip(bytes: &[u8], files: &mut Files) -> Result<(), Invalid> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| damaged())?;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|_| damaged())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|_| damaged())?.into_owned();
        if entry.is_symlink() {
            return Err(Invalid::new(format!(
                "The archive's entry {name:?} is a link; a snapshot holds plain files only."
            )));
        }
        files.add(&name, entry)?;
    }
    Ok(())
}

fn unpack_tar(reader: impl Read, files: &mut Files) -> Result<(), Invalid> {
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(|e| read_failure(&e))? {
        let entry = entry.map_err(|e| read_failure(&e))?;
        let kind = entry.header().entry_type();
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if !kind.is_file() {
            return Err(Invalid::new(format!(
                "The archive's entry {name:?} is not a plain file; a snapshot holds plain files only."
            )));
        }
        // Archives made with `tar -C dir .` name their entries ./train.py.
        files.add(name.trim_start_matches("./"), entry)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "snapshot_archive_props.rs"]
mod props;

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn tar_gz_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        for (name, bytes) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, *bytes).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    fn paths(files: &[SnapshotFile]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn zip_and_tar_gz_unpack_to_the_same_files() {
        let entries: [(&str, &[u8]); 2] =
            [("train.py", b"print('hi')\n"), ("src/model/net.py", b"class Net: ...\n")];
        for (name, bytes) in [("code.zip", zip_of(&entries)), ("code.tgz", tar_gz_of(&entries))] {
            let files = unpack(name, &bytes).unwrap();
            assert_eq!(paths(&files), ["train.py", "src/model/net.py"], "{name}");
            assert_eq!(files[0].bytes, b"print('hi')\n");
        }
    }

    #[test]
    fn entries_that_climb_out_or_repeat_are_refused() {
        let climbing = zip_of(&[("../etc/passwd", b"x")]);
        let refused = unpack("code.zip", &climbing).err().unwrap();
        assert!(refused.to_string().contains("\"../etc/passwd\""), "{refused}");
        let twice = tar_gz_of(&[("a.py", b"1"), ("./a.py", b"2")]);
        assert!(unpack("code.tar.gz", &twice).err().unwrap().to_string().contains("a.py twice"));
        // A file in a file cannot be written out.
        let inside = zip_of(&[("src", b"1"), ("src/a.py", b"2")]);
        let refused = unpack("code.zip", &inside).err().unwrap().to_string();
        assert!(refused.contains("src both as a file and as a folder"), "{refused}");
    }

    #[test]
    fn damaged_empty_and_unknown_archives_are_refused_with_a_reason() {
        let said = |name: &str, bytes: &[u8]| unpack(name, bytes).err().unwrap().to_string();
        assert!(said("code.zip", b"not a zip").contains("damaged"));
        assert!(said("code.rar", b"").contains(".zip, .tar.gz"));
        assert!(said("code.zip", &zip_of(&[])).contains("no files"));
    }

    /// A tar stream, gzipped as it is written: a `kind` header named `name` (a GNU long name
    /// or PAX record when `kind` says so) carrying `size` bytes of 'a', then a small file.
    fn tar_gz_with_header_payload(kind: tar::EntryType, size: u64) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_path("././@LongLink").unwrap();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_cksum();
        gz.write_all(header.as_bytes()).unwrap();
        let chunk = vec![b'a'; 1024 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            gz.write_all(&chunk[..n]).unwrap();
            left -= n as u64;
        }
        gz.write_all(&vec![0u8; ((512 - size % 512) % 512) as usize]).unwrap();
        let mut builder = tar::Builder::new(gz);
        let mut file = tar::Header::new_gnu();
        file.set_size(2);
        file.set_mode(0o644);
        file.set_cksum();
        builder.append_data(&mut file, "train.py", &b"1\n"[..]).unwrap();
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn a_long_name_or_pax_header_claiming_gigabytes_stops_at_the_stream_cap() {
        let past_the_cap = MAX_TAR_STREAM + 1024 * 1024;
        for kind in [tar::EntryType::GNULongName, tar::EntryType::XHeader] {
            let bomb = tar_gz_with_header_payload(kind, past_the_cap);
            assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
            let refused = unpack("bomb.tar.gz", &bomb).err().expect("refused");
            assert!(refused.to_string().contains("64 MB"), "{kind:?}: {refused}");
        }
        // Below the cap the same kind of header is read and the file after it kept.
        let fine = tar_gz_with_header_payload(tar::EntryType::XHeader, 0);
        assert_eq!(paths(&unpack("fine.tgz", &fine).unwrap()), ["train.py"]);
    }

    #[test]
    fn links_in_zip_and_tar_are_refused() {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        writer.add_symlink("data", "/etc", options).unwrap();
        let zipped = writer.finish().unwrap().into_inner();
        assert!(unpack("code.zip", &zipped).err().unwrap().to_string().contains("is a link"));
        for kind in [tar::EntryType::Symlink, tar::EntryType::Link] {
            let mut builder = tar::Builder::new(Vec::new());
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_size(0);
            header.set_mode(0o777);
            builder.append_link(&mut header, "data", "/etc/passwd").unwrap();
            let tarred = builder.into_inner().unwrap();
            let refused = unpack("code.tar", &tarred).err().unwrap().to_string();
            assert!(refused.contains("not a plain file"), "{kind:?}: {refused}");
        }
    }

    #[test]
    fn a_plain_tar_unpacks_and_2001_files_are_one_too_many() {
        let mut builder = tar::Builder::new(Vec::new());
        for i in 0..MAX_FILES {
            let mut header = tar::Header::new_gnu();
            header.set_size(1);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, format!("f{i}.py"), &b"x"[..]).unwrap();
        }
        let full = builder.into_inner().unwrap();
        assert_eq!(unpack("code.tar", &full).unwrap().len(), MAX_FILES);
        let names: Vec<String> = (0..=MAX_FILES).map(|i| format!("f{i}.py")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let refused = unpack("code.zip", &zip_of(&entries)).err().unwrap().to_string();
        assert!(refused.contains("2,000 files"), "{refused}");
    }

    #[test]
    fn exactly_the_unpacked_cap_fits_and_one_byte_more_does_not() {
        let exact = vec![b'a'; MAX_UNPACKED as usize];
        let over = vec![b'a'; MAX_UNPACKED as usize + 1];
        let fits = unpack("code.tgz", &tar_gz_of(&[("big.txt", &exact)])).unwrap();
        assert_eq!(fits[0].bytes.len() as u64, MAX_UNPACKED);
        assert_eq!(unpack("code.zip", &zip_of(&[("big.txt", &exact)])).unwrap().len(), 1);
        for (name, bytes) in [
            ("code.tgz", tar_gz_of(&[("big.txt", &over)])),
            ("code.zip", zip_of(&[("big.txt", &over)])),
        ] {
            let refused = unpack(name, &bytes).err().unwrap().to_string();
            assert!(refused.contains("64 MB"), "{name}: {refused}");
        }
    }

    #[test]
    fn a_snapshot_that_unpacks_too_large_stops_at_the_limit() {
        // Highly compressible: a few KB of archive, 65 MB unpacked.
        let big = vec![b'a'; (MAX_UNPACKED + 1024 * 1024) as usize];
        let bomb = zip_of(&[("big.txt", &big)]);
        assert!(bomb.len() < 1024 * 1024);
        assert!(unpack("bomb.zip", &bomb).err().unwrap().to_string().contains("64 MB"));
    }
}
