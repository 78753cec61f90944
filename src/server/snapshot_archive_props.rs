//! Property tests of the snapshot reader. Random file trees packed as zip, tar and tar.gz come
//! back exactly (the reference model); entry names are kept exactly when `StoredPath` accepts
//! them and refused otherwise; and whatever bytes arrive, random or a valid archive damaged,
//! the reader answers without panicking, and what it accepts keeps the caps: at most
//! `MAX_FILES` files and `MAX_UNPACKED` bytes, each path one `StoredPath` reads back unchanged,
//! once, and never both a file and a folder (so the tree can be written to disk).

use std::collections::HashSet;
use std::io::Write;

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

/// A name in a path as people write them: never `.` or `..`, nothing around it to trim.
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_é中-]([a-zA-Z0-9_.é中 -]{0,10}[a-zA-Z0-9_.é中-])?"
}

/// Distinct paths of one to six names, with their bytes, in archive order.
fn tree() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let path = prop::collection::vec(segment(), 1..=6).prop_map(|names| names.join("/"));
    let file = (path, prop::collection::vec(any::<u8>(), 0..300));
    prop::collection::vec(file, 1..24).prop_map(|files| {
        let mut seen = HashSet::new();
        files.into_iter().filter(|(path, _)| seen.insert(path.clone())).collect()
    })
}

/// Whether a path of `tree` is also a folder of another.
fn nested(tree: &[(String, Vec<u8>)]) -> bool {
    tree.iter().any(|(a, _)| tree.iter().any(|(b, _)| b.starts_with(&format!("{a}/"))))
}

/// The folders above `path`, outermost first (`a/b/c` → `a/`, `a/b/`).
fn folders_of(path: &str) -> Vec<String> {
    path.match_indices('/').map(|(at, _)| path[..=at].to_owned()).collect()
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    ZipStored,
    ZipDeflated,
    Tar,
    TarGz,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::ZipStored), Just(Kind::ZipDeflated), Just(Kind::Tar), Just(Kind::TarGz)]
}

/// How an archive of `tree` is written: with folder entries or without, entries named
/// `./path` (as `tar -C dir .` writes them) or not.
#[derive(Clone, Copy, Debug)]
struct Style {
    kind: Kind,
    folders: bool,
    dotted: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (kind(), any::<bool>(), any::<bool>()).prop_map(|(kind, folders, dotted)| Style {
        kind,
        folders,
        dotted,
    })
}

/// The archive's name and bytes.
fn pack(tree: &[(String, Vec<u8>)], style: Style) -> (&'static str, Vec<u8>) {
    match style.kind {
        Kind::ZipStored => ("code.zip", zip(tree, style, zip::CompressionMethod::Stored)),
        Kind::ZipDeflated => ("code.ZIP", zip(tree, style, zip::CompressionMethod::Deflated)),
        Kind::Tar => ("code.tar", tar(tree, style)),
        Kind::TarGz => ("code.tgz", gzip(&tar(tree, style))),
    }
}

fn zip(tree: &[(String, Vec<u8>)], style: Style, method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut folders = HashSet::new();
    for (path, bytes) in tree {
        for folder in folders_of(path).into_iter().filter(|_| style.folders) {
            if folders.insert(folder.clone()) {
                writer.add_directory(folder, options).unwrap();
            }
        }
        writer.start_file(path.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn tar(tree: &[(String, Vec<u8>)], style: Style) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let prefix = if style.dotted { "./" } else { "" };
    let mut folders = HashSet::new();
    for (path, bytes) in tree {
        for folder in folders_of(path).into_iter().filter(|_| style.folders) {
            if folders.insert(folder.clone()) {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                header.set_mode(0o755);
                builder.append_data(&mut header, format!("{prefix}{folder}"), &[][..]).unwrap();
            }
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, format!("{prefix}{path}"), bytes.as_slice()).unwrap();
    }
    builder.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// What every accepted snapshot is.
fn within_the_caps(files: &[SnapshotFile]) -> Result<(), TestCaseError> {
    prop_assert!(!files.is_empty() && files.len() <= MAX_FILES);
    let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    prop_assert!(total <= MAX_UNPACKED);
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    prop_assert_eq!(paths.len(), files.len(), "a path twice");
    for file in files {
        prop_assert_eq!(StoredPath::parse(file.path.as_str()), Ok(file.path.clone()));
        for folder in folders_of(file.path.as_str()) {
            prop_assert!(!paths.contains(folder.trim_end_matches('/')), "{folder} is a file too");
        }
    }
    Ok(())
}

fn unpacked(files: &[SnapshotFile]) -> Vec<(String, Vec<u8>)> {
    files.iter().map(|f| (f.path.as_str().to_owned(), f.bytes.clone())).collect()
}

/// Archive names and bytes that begin like an archive of each kind.
fn any_archive() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    let name = prop::sample::select(vec!["code.zip", "code.tar", "code.tar.gz", "code.tgz"]);
    let start = prop::sample::select(vec![
        &b""[..],
        b"PK\x03\x04",
        b"PK\x05\x06",
        b"\x1f\x8b\x08\x00",
        b"ustar\x0000",
    ]);
    (name, start, prop::collection::vec(any::<u8>(), 0..3000)).prop_map(|(name, start, rest)| {
        let mut bytes = start.to_vec();
        bytes.extend(rest);
        // A tar header's magic sits at offset 257.
        if start.starts_with(b"ustar") {
            bytes.splice(0..0, std::iter::repeat_n(b'a', 257));
        }
        (name, bytes)
    })
}

/// Entry names made of the pieces that trip path checks.
fn tricky_name() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a", "bb", "é", ".", "..", "/", "//", "\\", " ", "\t", "\u{7f}", ":", "%2e", "./", "C:",
    ]);
    prop::collection::vec(piece, 1..10).prop_map(|pieces| pieces.concat())
}

/// A one-entry tar whose header holds `name` as it is (the builder would refuse some).
fn tar_named(name: &str) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(1);
    header.set_mode(0o644);
    header.set_cksum();
    let mut builder = tar::Builder::new(Vec::new());
    builder.append(&header, &b"x"[..]).unwrap();
    builder.into_inner().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The reference model: a tree comes back exactly, in order, whatever the archive kind,
    /// folder entries or `./` prefixes; a tree where a file is also a folder is refused.
    #[test]
    fn random_trees_come_back_exactly(tree in tree(), style in style()) {
        let (name, bytes) = pack(&tree, style);
        match unpack(name, &bytes) {
            Ok(files) => {
                prop_assert!(!nested(&tree));
                within_the_caps(&files)?;
                prop_assert_eq!(unpacked(&files), tree);
            }
            Err(refused) => {
                prop_assert!(nested(&tree), "{refused}");
                prop_assert!(refused.0.contains("both as a file and as a folder"), "{refused}");
            }
        }
    }

    /// A file written below another file is refused, whichever comes first.
    #[test]
    fn a_file_that_is_also_a_folder_is_refused(
        tree in tree(),
        below in segment(),
        which in any::<Index>(),
        first in any::<bool>(),
        style in style(),
    ) {
        let mut tree = tree;
        let (path, _) = tree[which.index(tree.len())].clone();
        let inner = (format!("{path}/{below}"), b"inner".to_vec());
        prop_assume!(tree.iter().all(|(p, _)| *p != inner.0));
        if first { tree.insert(0, inner) } else { tree.push(inner) }
        let (name, bytes) = pack(&tree, style);
        let refused = unpack(name, &bytes).err().expect("refused");
        prop_assert!(refused.0.contains("both as a file and as a folder"), "{refused}");
    }

    /// A zip or tar entry's name is kept exactly as `StoredPath` reads it, or refused when it
    /// does not read; a zip entry ending in a slash is a folder, so no file.
    #[test]
    fn entry_names_are_kept_when_stored_paths_accept_them(name in tricky_name()) {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        prop_assume!(writer.start_file(name.as_str(), options).is_ok());
        writer.write_all(b"x").unwrap();
        let zipped = writer.finish().unwrap().into_inner();
        let folder = name.ends_with('/') || name.ends_with('\\');
        let expected = if folder { None } else { StoredPath::parse(&name).ok() };
        let kept = unpack("code.zip", &zipped).ok().map(|files| unpacked(&files));
        prop_assert_eq!(kept, expected.map(|p| vec![(p.as_str().to_owned(), b"x".to_vec())]));

        prop_assume!(name.len() <= 100);
        let expected = StoredPath::parse(name.trim_start_matches("./")).ok();
        let kept = unpack("code.tar", &tar_named(&name)).ok().map(|files| unpacked(&files));
        prop_assert_eq!(kept, expected.map(|p| vec![(p.as_str().to_owned(), b"x".to_vec())]));
    }

    /// Only the archive's name picks the format: `.zip`, `.tar.gz`, `.tgz` or `.tar`, in any
    /// case, with spaces around.
    #[test]
    fn archive_names_pick_the_format(name in "[ a-zA-Z.]{0,4}(\\.(zip|ZIP|tar|tar\\.gz|TGZ|tgz|rar|gz))?[ ]{0,2}") {
        let lower = name.trim().to_ascii_lowercase();
        let known = [".zip", ".tar.gz", ".tgz", ".tar"].iter().any(|end| lower.ends_with(end));
        prop_assert_eq!(format_of(&name).is_ok(), known);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Whatever bytes arrive, random or beginning like an archive, the reader answers without
    /// panicking, and what it accepts is within the caps.
    #[test]
    fn any_bytes_are_refused_or_kept_within_the_caps((name, bytes) in any_archive()) {
        if let Ok(files) = unpack(name, &bytes) {
            within_the_caps(&files)?;
        }
    }

    /// A valid archive with bytes overwritten, cut short or grown: refused, or kept within the
    /// caps.
    #[test]
    fn damaged_archives_are_refused_or_kept_within_the_caps(
        tree in tree(),
        style in style(),
        changes in prop::collection::vec((any::<Index>(), any::<u8>()), 1..8),
        cut in prop::option::of(any::<Index>()),
        grown in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let (name, mut bytes) = pack(&tree, style);
        for (at, byte) in changes {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        bytes.extend(grown);
        if let Ok(files) = unpack(name, &bytes) {
            within_the_caps(&files)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Around the cap on files: up to `MAX_FILES` are kept, one more is refused.
    #[test]
    fn files_up_to_the_cap_are_kept(extra in -3i64..=3, zipped in any::<bool>()) {
        let count = (MAX_FILES as i64 + extra) as usize;
        let tree: Vec<(String, Vec<u8>)> = (0..count).map(|i| (format!("f{i}.py"), vec![b'x'])).collect();
        let style = Style { kind: if zipped { Kind::ZipStored } else { Kind::Tar }, folders: false, dotted: false };
        let (name, bytes) = pack(&tree, style);
        match unpack(name, &bytes) {
            Ok(files) => prop_assert!(count <= MAX_FILES && files.len() == count),
            Err(refused) => {
                prop_assert!(count > MAX_FILES, "{refused}");
                prop_assert!(refused.0.contains("2,000 files"), "{refused}");
            }
        }
    }
}
