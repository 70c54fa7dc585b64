//! The SQLite file behind a durable [`Store`](super::Store): one row per object, its JSON plus
//! the columns that tie objects together. Each change is one statement, committed (WAL,
//! `synchronous=FULL`) before it returns. The file is opened in exclusive locking mode, so one
//! server at a time can use it.

use std::io::Read;
use std::path::{Path, PathBuf};

use rts_api::{SoftwareConfig, SoftwareDeployment};
use rusqlite::{Connection, ErrorCode, OpenFlags, params};

/// `PRAGMA application_id` of an rts-server database: "RTSd".
const APPLICATION_ID: i32 = 0x5254_5364;
/// `PRAGMA user_version`: the schema below. A newer file is refused, never downgraded.
const SCHEMA_VERSION: i32 = 1;

const SCHEMA: &str = "
CREATE TABLE software_config (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE software_deployment (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    config_id TEXT NOT NULL REFERENCES software_config (id),
    server_id TEXT NOT NULL,
    stack_user_project_id TEXT,
    body TEXT NOT NULL
);
CREATE INDEX software_deployment_config ON software_deployment (config_id);
CREATE INDEX software_deployment_server ON software_deployment (project_id, server_id);
";

/// Why a database file cannot be used; each names the file.
#[derive(Debug)]
pub enum OpenError {
    /// Another process (another rts-server) has the file open.
    InUse(PathBuf),
    /// The file is an SQLite database of another application, or not SQLite at all.
    Foreign(PathBuf, String),
    /// The file was written by a newer rts-server.
    Newer(PathBuf, i32),
    /// The file is damaged.
    Corrupt(PathBuf, String),
    /// The file cannot be read or created.
    Unusable(PathBuf, String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InUse(path) => write!(
                f,
                "{} is in use by another process (another rts-server?); one server per file",
                path.display()
            ),
            Self::Foreign(path, why) => write!(
                f,
                "{} is not an rts-server database ({why}); left untouched",
                path.display()
            ),
            Self::Newer(path, version) => write!(
                f,
                "{} has schema version {version}, newer than this rts-server's \
                 {SCHEMA_VERSION}; use a newer rts-server",
                path.display()
            ),
            Self::Corrupt(path, why) => {
                write!(f, "{} is corrupt ({why}); left untouched", path.display())
            }
            Self::Unusable(path, why) => write!(f, "{}: {why}", path.display()),
        }
    }
}

impl std::error::Error for OpenError {}

/// One object read back at start, in creation order.
pub(super) enum Loaded {
    Config {
        seq: i64,
        project_id: String,
        config: SoftwareConfig,
    },
    Deployment {
        seq: i64,
        project_id: String,
        stack_user_project_id: Option<String>,
        deployment: SoftwareDeployment,
    },
}

pub(super) struct Database {
    connection: Connection,
}

impl Database {
    /// Checks the file without writing to it, then opens it for this process alone and reads
    /// everything in it. A missing (or empty) file becomes a new database.
    pub(super) fn open(path: &Path) -> Result<(Database, Vec<Loaded>), OpenError> {
        let is_new = check(path)?;
        let fail = |error: rusqlite::Error| classify(path, error);
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        // Exclusive locking: the first transaction takes the file's lock and keeps it until the
        // connection closes, so a second server cannot read or write it meanwhile.
        connection
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(fail)?;
        connection
            .execute_batch("BEGIN EXCLUSIVE; COMMIT;")
            .map_err(fail)?;
        // Another server may have taken the file between the check and the lock.
        let (application_id, version) = header(&connection).map_err(fail)?;
        if is_new && application_id == 0 && version == 0 {
            connection
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(fail)?;
            let create = format!(
                "BEGIN; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; \
                 PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            );
            connection.execute_batch(&create).map_err(fail)?;
        } else {
            verify_header(path, application_id, version)?;
        }
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        connection
            .pragma_update(None, "foreign_keys", true)
            .map_err(fail)?;
        let loaded = load(&connection).map_err(|why| OpenError::Corrupt(path.to_owned(), why))?;
        Ok((Database { connection }, loaded))
    }

    pub(super) fn insert_config(
        &mut self,
        seq: i64,
        project_id: &str,
        config: &SoftwareConfig,
    ) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached(
                "INSERT INTO software_config (seq, id, project_id, body) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![seq, config.id, project_id, to_json(config)])?;
        Ok(())
    }

    pub(super) fn delete_config(&mut self, id: &str) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached("DELETE FROM software_config WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    pub(super) fn insert_deployment(
        &mut self,
        seq: i64,
        project_id: &str,
        stack_user_project_id: Option<&str>,
        deployment: &SoftwareDeployment,
    ) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached(
                "INSERT INTO software_deployment \
                 (seq, id, project_id, config_id, server_id, stack_user_project_id, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                seq,
                deployment.id,
                project_id,
                deployment.config_id,
                deployment.server_id,
                stack_user_project_id,
                to_json(deployment)
            ])?;
        Ok(())
    }

    pub(super) fn update_deployment(
        &mut self,
        deployment: &SoftwareDeployment,
    ) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached(
                "UPDATE software_deployment SET config_id = ?2, body = ?3 WHERE id = ?1",
            )?
            .execute(params![
                deployment.id,
                deployment.config_id,
                to_json(deployment)
            ])?;
        Ok(())
    }

    pub(super) fn delete_deployment(&mut self, id: &str) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached("DELETE FROM software_deployment WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("the generated types serialize to JSON")
}

/// Checks an existing file through a read-only connection, which never writes to it: that it
/// is SQLite, not locked by another server, ours, not newer, and intact. Returns whether the
/// database is still empty (missing, an empty file or an SQLite file without tables).
fn check(path: &Path) -> Result<bool, OpenError> {
    let mut magic = Vec::with_capacity(16);
    match std::fs::File::open(path) {
        Ok(file) => {
            file.take(16).read_to_end(&mut magic).map_err(|error| {
                OpenError::Unusable(path.to_owned(), format!("cannot read it: {error}"))
            })?;
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(error) => {
            return Err(OpenError::Unusable(
                path.to_owned(),
                format!("cannot open it: {error}"),
            ));
        }
    }
    if magic.is_empty() {
        return Ok(true);
    }
    if magic != b"SQLite format 3\0" {
        return Err(OpenError::Foreign(
            path.to_owned(),
            "not an SQLite database".to_owned(),
        ));
    }
    let fail = |error: rusqlite::Error| classify(path, error);
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    let (application_id, version) = header(&connection).map_err(fail)?;
    let tables: i64 = connection
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .map_err(fail)?;
    if application_id == 0 && version == 0 && tables == 0 {
        return Ok(true);
    }
    verify_header(path, application_id, version)?;
    let verdict: String = connection
        .query_row("PRAGMA integrity_check(1)", [], |row| row.get(0))
        .map_err(fail)?;
    if verdict != "ok" {
        return Err(OpenError::Corrupt(
            path.to_owned(),
            verdict.replace('\n', " "),
        ));
    }
    Ok(false)
}

fn header(connection: &Connection) -> rusqlite::Result<(i32, i32)> {
    let application_id = connection.pragma_query_value(None, "application_id", |row| row.get(0))?;
    let version = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    Ok((application_id, version))
}

fn verify_header(path: &Path, application_id: i32, version: i32) -> Result<(), OpenError> {
    if application_id != APPLICATION_ID {
        return Err(OpenError::Foreign(
            path.to_owned(),
            format!(
                "an SQLite database of another application, application_id {application_id:#x}"
            ),
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(OpenError::Newer(path.to_owned(), version));
    }
    if version < 1 {
        return Err(OpenError::Corrupt(
            path.to_owned(),
            format!("schema version {version}"),
        ));
    }
    Ok(())
}

/// The SQLite error of opening or reading `path`, as what it means for the file.
fn classify(path: &Path, error: rusqlite::Error) -> OpenError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            OpenError::InUse(path.to_owned())
        }
        Some(ErrorCode::DatabaseCorrupt) => OpenError::Corrupt(path.to_owned(), error.to_string()),
        Some(ErrorCode::NotADatabase) => OpenError::Foreign(path.to_owned(), error.to_string()),
        _ => OpenError::Unusable(path.to_owned(), error.to_string()),
    }
}

/// Every object of the file, in creation order.
fn load(connection: &Connection) -> Result<Vec<Loaded>, String> {
    let mut loaded = Vec::new();
    let mut configs = connection
        .prepare("SELECT seq, project_id, body FROM software_config")
        .map_err(|e| e.to_string())?;
    let rows = configs
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (seq, project_id, body) = row.map_err(|e| e.to_string())?;
        let config = serde_json::from_str(&body)
            .map_err(|e| format!("software config {seq} is not valid: {e}"))?;
        loaded.push(Loaded::Config {
            seq,
            project_id,
            config,
        });
    }
    let mut deployments = connection
        .prepare("SELECT seq, project_id, stack_user_project_id, body FROM software_deployment")
        .map_err(|e| e.to_string())?;
    let rows = deployments
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (seq, project_id, stack_user_project_id, body) = row.map_err(|e| e.to_string())?;
        let deployment = serde_json::from_str(&body)
            .map_err(|e| format!("software deployment {seq} is not valid: {e}"))?;
        loaded.push(Loaded::Deployment {
            seq,
            project_id,
            stack_user_project_id,
            deployment,
        });
    }
    // Configurations first, so that each deployment finds the configuration it uses.
    Ok(loaded)
}
