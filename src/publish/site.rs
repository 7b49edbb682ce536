//! The site folder on disk: which folders `publish` may write, one run at a time, files
//! replaced by rename, shards the new manifest no longer lists removed.

use super::*;

/// Refuses a target folder inside the records folder or any certificates folder, and a
/// non-empty folder that `publish` did not create.
pub fn check_target(dir: &Path, records: &Path) -> Result<(), PublishError> {
    let absolute = resolved(dir);
    let records = resolved(records);
    if absolute.starts_with(&records) {
        return Err(PublishError::Refused(format!(
            "{} is inside the records folder {}: the site is public and the records are not; publish to a folder outside it",
            dir.display(),
            records.display()
        )));
    }
    if absolute
        .components()
        .any(|c| c.as_os_str() == "certificates")
    {
        return Err(PublishError::Refused(format!(
            "{} is inside a certificates folder; publish to a folder of its own",
            dir.display()
        )));
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(PublishError::Refused(format!(
                "{} is not a folder",
                dir.display()
            )));
        }
        let empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_none();
        if !empty && !dir.join(MARKER).is_file() {
            return Err(PublishError::Refused(format!(
                "{} is not empty and was not written by ceu publish (it has no {MARKER}); name a new or empty folder",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute with every existing ancestor's symbolic links resolved.
pub(super) fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// Writes the files: the marker, new shards, the page and the manifest (each replaced by a
/// rename), then removes shards the new manifest no longer lists.
pub(super) fn write_site(
    dir: &Path,
    shards: &BTreeMap<String, Vec<u8>>,
    page: &[u8],
    manifest: &[u8],
    summary: &mut Summary,
) -> Result<(), PublishError> {
    for set in SHARD_SETS {
        let folder = dir.join(set);
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    }
    for (name, bytes) in shards {
        let path = dir.join(name);
        // Named by content: an existing file of that name holds these bytes already.
        if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            replace(&path, bytes)?;
        }
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
    }
    for (name, bytes) in [("index.html", page), ("manifest.json", manifest)] {
        replace(&dir.join(name), bytes)?;
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
    }
    let listed: BTreeSet<PathBuf> = shards.keys().map(|name| dir.join(name)).collect();
    for set in SHARD_SETS {
        let folder = dir.join(set);
        for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
            let path = entry.map_err(io(&folder))?.path();
            if !listed.contains(&path) && path.extension().is_some_and(|x| x == "json") {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
    }
    Ok(())
}

/// Creates the folder and its marker when new, and holds an exclusive lock on the marker
/// until dropped (a second `publish` of the same folder waits).
pub(super) fn lock_site(dir: &Path) -> Result<std::fs::File, PublishError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let marker = dir.join(MARKER);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&marker)
        .map_err(io(&marker))?;
    file.lock().map_err(io(&marker))?;
    if file.metadata().map_err(io(&marker))?.len() == 0 {
        use std::io::Write;
        (&file)
            .write_all(
                b"This folder is written by `ceu publish`, which rewrites it on every run.\n",
            )
            .map_err(io(&marker))?;
    }
    Ok(file)
}

/// Writes a file through a temporary file in the same folder and a rename, so a web server
/// never serves half of it.
pub(super) fn replace(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".ceu-publish-")
        .tempfile_in(folder)
        .map_err(io(folder))?;
    temp.write_all(bytes).map_err(io(path))?;
    // Readable by the web server, like any published file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(io(path))?;
    }
    temp.persist(path).map_err(|e| PublishError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}
