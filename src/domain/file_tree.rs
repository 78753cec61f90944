//! A list of '/'-separated file paths as a tree of folders and files, the way a file browser
//! shows it: folders first, then files, each in name order.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeNode {
    Folder { name: String, path: String, children: Vec<TreeNode> },
    File { name: String, path: String, size: i64 },
}

impl TreeNode {
    fn name(&self) -> &str {
        match self {
            Self::Folder { name, .. } | Self::File { name, .. } => name,
        }
    }

    fn is_folder(&self) -> bool {
        matches!(self, Self::Folder { .. })
    }
}

/// The tree of `files` (path, size).
pub fn build(files: &[(String, i64)]) -> Vec<TreeNode> {
    let mut roots = Vec::new();
    for (path, size) in files {
        insert(&mut roots, path, "", path, *size);
    }
    sort(&mut roots);
    roots
}

/// The listed file the entry point names (`python src/train.py --lr 0.1` → `src/train.py`).
pub fn entry_file(entry_point: &str, files: &[(String, i64)]) -> Option<String> {
    entry_point
        .split_whitespace()
        .map(|word| word.trim_start_matches("./"))
        .find(|word| files.iter().any(|(path, _)| path == word))
        .map(str::to_owned)
}

fn insert(level: &mut Vec<TreeNode>, rest: &str, parent: &str, full: &str, size: i64) {
    let join =
        |name: &str| if parent.is_empty() { name.to_owned() } else { format!("{parent}/{name}") };
    match rest.split_once('/') {
        None => level.push(TreeNode::File { name: rest.to_owned(), path: full.to_owned(), size }),
        Some((folder, below)) => {
            let position = level.iter().position(|n| n.is_folder() && n.name() == folder);
            let index = position.unwrap_or_else(|| {
                level.push(TreeNode::Folder {
                    name: folder.to_owned(),
                    path: join(folder),
                    children: Vec::new(),
                });
                level.len() - 1
            });
            if let TreeNode::Folder { children, path, .. } = &mut level[index] {
                let path = path.clone();
                insert(children, below, &path, full, size);
            }
        }
    }
}

fn sort(level: &mut [TreeNode]) {
    level.sort_by(|a, b| b.is_folder().cmp(&a.is_folder()).then_with(|| a.name().cmp(b.name())));
    for node in level {
        if let TreeNode::Folder { children, .. } = node {
            sort(children);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(nodes: &[TreeNode]) -> Vec<String> {
        let mut out = Vec::new();
        for node in nodes {
            match node {
                TreeNode::Folder { path, children, .. } => {
                    out.push(format!("{path}/"));
                    out.extend(shape(children));
                }
                TreeNode::File { path, size, .. } => out.push(format!("{path} {size}")),
            }
        }
        out
    }

    #[test]
    fn folders_come_first_then_files_each_by_name() {
        let files: Vec<(String, i64)> = [
            ("train.py", 10),
            ("src/model/net.py", 20),
            ("README.md", 5),
            ("src/data.py", 7),
            ("src/model/__init__.py", 0),
            ("conf/base.yaml", 3),
        ]
        .into_iter()
        .map(|(p, s)| (p.to_owned(), s))
        .collect();
        assert_eq!(
            shape(&build(&files)),
            [
                "conf/",
                "conf/base.yaml 3",
                "src/",
                "src/model/",
                "src/model/__init__.py 0",
                "src/model/net.py 20",
                "src/data.py 7",
                "README.md 5",
                "train.py 10",
            ]
        );
    }

    #[test]
    fn the_entry_point_names_a_listed_file() {
        let files = vec![("src/train.py".to_owned(), 10), ("README.md".to_owned(), 3)];
        assert_eq!(
            entry_file("python ./src/train.py --lr 0.1", &files).as_deref(),
            Some("src/train.py")
        );
        assert_eq!(entry_file("python train.py", &files), None);
        assert_eq!(entry_file("", &files), None);
    }

    #[test]
    fn no_files_is_an_empty_tree() {
        assert!(build(&[]).is_empty());
    }
}
