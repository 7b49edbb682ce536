//! Where the records live: the one place every command resolves the records root (the folder
//! that holds `ledger.jsonl`, its checkpoint, its lock and `keys/`), so the same offering gets
//! the same ledger however its folder was typed.
//!
//! - With an offering folder (`check`, `hours`, `issue`): the folder's parent, found from its
//!   absolute path, so `ceu issue .` inside `records/OFF` and `ceu issue records/OFF` from the
//!   repository root both use `records/ledger.jsonl`. Printed paths stay as typed where the
//!   typed path names the parent (`records/OFF` -> `records`); otherwise the parent is
//!   printed relative to the current folder when it holds it (`.` inside `records/OFF` ->
//!   `..`), else in full.
//! - Without one (`verify`, `revoke`, `ledger verify`, `keygen`): the nearest ancestor of the
//!   current folder (itself included) that holds `ledger.jsonl` or `keys/`; otherwise
//!   `./records`.

use std::path::{Component, Path, PathBuf};

/// The ledger's file name in the records root.
pub const LEDGER: &str = "ledger.jsonl";

/// The certificates folder's name in an offering folder.
pub const CERTIFICATES: &str = "certificates";

/// The public-key folder's name in the records root.
pub const KEYS: &str = "keys";

/// The records root for an offering folder (which must exist): its parent, as typed when the
/// typed path names it, else relative to the current folder when that is inside it (`..`),
/// else absolute. Errors: the folder cannot be resolved (exit 2).
pub fn root_of_offering(offering: &Path) -> std::io::Result<PathBuf> {
    let components: Vec<Component> = offering.components().collect();
    if let Some((Component::Normal(_), parent)) = components.split_last()
        && !parent.is_empty()
        && parent.iter().all(|c| {
            matches!(
                c,
                Component::Normal(_) | Component::RootDir | Component::CurDir
            )
        })
    {
        return Ok(parent.iter().collect());
    }
    let absolute = std::fs::canonicalize(offering)?;
    let root = absolute
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    // Inside the records folder (`ceu issue .`), print it as `..` rather than in full.
    let up = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .ok()
        .and_then(|current| {
            let below = current.strip_prefix(&root).ok()?;
            Some(below.components().map(|_| "..").collect::<PathBuf>())
        });
    Ok(match up {
        Some(up) if !up.as_os_str().is_empty() => up,
        Some(_) => PathBuf::from("."),
        None => root,
    })
}

/// The records root without an offering folder: the nearest ancestor of the current folder
/// (itself first) holding `ledger.jsonl` or `keys/`, else `records` (relative). An ancestor
/// is printed relative (`.`, `..`, `../..`) so messages stay short.
pub fn root_from_current_dir() -> PathBuf {
    if let Ok(current) = std::env::current_dir() {
        for (up, dir) in current.ancestors().enumerate() {
            if dir.join(LEDGER).is_file() || dir.join(KEYS).is_dir() {
                return if up == 0 {
                    PathBuf::from(".")
                } else {
                    (0..up).map(|_| "..").collect()
                };
            }
        }
    }
    PathBuf::from("records")
}

/// The records root for a command: from `offering` when given, else from the current folder.
pub fn records_root(offering: Option<&Path>) -> std::io::Result<PathBuf> {
    match offering {
        Some(dir) => root_of_offering(dir),
        None => Ok(root_from_current_dir()),
    }
}

/// `<root>/ledger.jsonl`.
pub fn ledger(root: &Path) -> PathBuf {
    tidy(root.join(LEDGER))
}

/// `<root>/keys`.
pub fn keys(root: &Path) -> PathBuf {
    tidy(root.join(KEYS))
}

/// `<offering>/certificates`: where `issue` writes the PDFs unless `--out` says otherwise.
pub fn certificates(offering: &Path) -> PathBuf {
    offering.join(CERTIFICATES)
}

/// Drops a leading `./` so printed paths read as typed.
fn tidy(path: PathBuf) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_parent_is_kept_as_typed() {
        let root = root_of_offering(Path::new("records/SER2-2025-03-CAL")).unwrap();
        assert_eq!(root, PathBuf::from("records"));
        let root = root_of_offering(Path::new("records/SER2-2025-03-CAL/")).unwrap();
        assert_eq!(root, PathBuf::from("records"));
    }

    #[test]
    fn a_dot_or_a_path_with_dot_dot_resolves_to_the_real_parent() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("records/OFF");
        std::fs::create_dir_all(&dir).unwrap();
        let expected = std::fs::canonicalize(temp.path().join("records")).unwrap();
        let root = |typed: PathBuf| std::fs::canonicalize(root_of_offering(&typed).unwrap());
        assert_eq!(root(dir.join(".")).unwrap(), expected);
        assert_eq!(root(dir.join("../OFF")).unwrap(), expected);
    }
}
