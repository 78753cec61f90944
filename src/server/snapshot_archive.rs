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
        Format::TarGz => unpack_tar(flate2::read::GzDecoder::new(bytes), &mut files)?,
        Format::Tar => unpack_tar(bytes, &mut files)?,
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
        let room = MAX_UNPACKED - self.unpacked;
        let mut bytes = Vec::new();
        // One byte more than the room left tells "too large" from "exactly fits".
        reader
            .take(room + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| Invalid::new("The archive is damaged; it cannot be unpacked."))?;
        if bytes.len() as u64 > room {
            return Err(Invalid::new("A code snapshot unpacks to at most 64 MB."));
        }
        self.unpacked += bytes.len() as u64;
        self.list.push(SnapshotFile { path, bytes });
        Ok(())
    }
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
    for entry in archive.entries().map_err(|_| damaged())? {
        let entry = entry.map_err(|_| damaged())?;
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
    }

    #[test]
    fn damaged_empty_and_unknown_archives_are_refused_with_a_reason() {
        let said = |name: &str, bytes: &[u8]| unpack(name, bytes).err().unwrap().to_string();
        assert!(said("code.zip", b"not a zip").contains("damaged"));
        assert!(said("code.rar", b"").contains(".zip, .tar.gz"));
        assert!(said("code.zip", &zip_of(&[])).contains("no files"));
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
