//! Files of the data directory are the practice's secrets even encrypted
//! (names of files, sizes, the key file): only the account running Sceau may
//! read them. The directory is 0700, the SQLite database and its `-wal` and
//! `-shm` companions 0600.

use std::path::Path;

/// Creates the data directory (0700) if absent. An existing directory that
/// Sceau did not create keeps its mode: it may be shared on purpose (`.`).
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Creates the database file empty with mode 0600 if absent, and takes an
/// existing one (and its `-wal`, `-shm`) back to 0600: SQLite gives its
/// companion files the database file's mode.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    // An existing database is not opened for writing here: on a read-only
    // mount the server must still start and serve reads.
    if !path.exists() {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        opts.open(path)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = std::path::PathBuf::from(p);
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if meta.permissions().mode() & 0o077 == 0 {
                continue;
            }
            match std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)) {
                // Read-only: nothing can be written there either; the store
                // reports the outage on the first write.
                Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {}
                other => other?,
            }
        }
    }
    Ok(())
}
