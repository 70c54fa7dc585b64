//! Stage 5: write files that changed, atomically; or, in check mode, report stale ones.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// What writing did to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStatus {
    /// The file did not exist.
    Created,
    /// The file existed with other content.
    Updated,
    /// The file already had this content and was not touched (its mtime is kept, so nothing
    /// that watches it rebuilds).
    Unchanged,
}

impl WriteStatus {
    /// `created`, `updated` or `unchanged`: how the command line tools report it.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteStatus::Created => "created",
            WriteStatus::Updated => "updated",
            WriteStatus::Unchanged => "unchanged",
        }
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that. The new content goes
/// to a temporary file in the same directory first and is renamed into place, so a reader (or
/// an interrupted run) sees the old file or the new one, never a mix.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<WriteStatus> {
    write_if_changed_with(path, contents, |file, bytes| file.write_all(bytes))
}

/// [`write_if_changed`] with the write into the temporary file supplied, so tests can make it
/// fail halfway.
fn write_if_changed_with(
    path: &Path,
    contents: &str,
    fill: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<WriteStatus> {
    let status = match std::fs::read(path) {
        Ok(existing) if existing == contents.as_bytes() => return Ok(WriteStatus::Unchanged),
        Ok(_) => WriteStatus::Updated,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => WriteStatus::Created,
        Err(err) => return Err(Error::io(path, &err)),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, &err))?;
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("generated");
    // Unique per process and call, so concurrent writers never share a temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let temp = dir.join(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create_new(&temp)
        .and_then(|mut file| {
            fill(&mut file, contents.as_bytes())?;
            // On disk before the rename, so a crash cannot leave the new name on empty data.
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(path, &err));
    }
    Ok(status)
}

/// A file whose content on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    /// The file.
    pub path: PathBuf,
    /// A short line diff between disk (`-`) and expected (`+`), or a note that it is missing.
    pub diff: String,
}

/// Compares `contents` with the file at `path`; `None` when they are equal.
pub fn check(path: &Path, contents: &str) -> Result<Option<StaleFile>> {
    match std::fs::read_to_string(path) {
        Ok(existing) if existing == contents => Ok(None),
        Ok(existing) => Ok(Some(StaleFile {
            path: path.to_owned(),
            diff: short_diff(&existing, contents, 12),
        })),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Some(StaleFile {
            path: path.to_owned(),
            diff: "(missing)".to_owned(),
        })),
        Err(err) => Err(Error::io(path, &err)),
    }
}

/// The lines around the first difference, at most `max` lines of output.
fn short_diff(old: &str, new: &str, max: usize) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let first = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let common_tail = old[first..]
        .iter()
        .rev()
        .zip(new[first..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = vec![format!("@@ line {} @@", first + 1)];
    out.extend(
        old[first..old.len() - common_tail]
            .iter()
            .map(|l| format!("-{l}"))
            .take(max / 2),
    );
    out.extend(
        new[first..new.len() - common_tail]
            .iter()
            .map(|l| format!("+{l}"))
            .take(max / 2),
    );
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_when_content_changes() {
        let dir = std::env::temp_dir().join(format!("rustgen-write-{}", std::process::id()));
        let path = dir.join("a.rs");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            write_if_changed(&path, "one").unwrap(),
            WriteStatus::Created
        );
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(
            write_if_changed(&path, "one").unwrap(),
            WriteStatus::Unchanged
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        assert_eq!(
            write_if_changed(&path, "two").unwrap(),
            WriteStatus::Updated
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_file_whole() {
        let dir = std::env::temp_dir().join(format!("rustgen-halfway-{}", std::process::id()));
        let path = dir.join("types.rs");
        let _ = std::fs::remove_dir_all(&dir);
        write_if_changed(&path, "old content\n").unwrap();
        let result = write_if_changed_with(&path, "new content\n", |file, bytes| {
            file.write_all(&bytes[..4])?;
            Err(std::io::Error::other("interrupted"))
        });
        let err = result.unwrap_err();
        assert!(err.to_string().contains("interrupted"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old content\n");
        // The half-written temporary file is gone too.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["types.rs"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn diff_shows_the_changed_lines() {
        assert_eq!(
            short_diff("a\nb\nc\n", "a\nx\nc\n", 12),
            "@@ line 2 @@\n-b\n+x"
        );
    }
}
