//! Backup and restore: every table of the store and the journal anchors in
//! one archive, encrypted and authenticated with the store's key
//! (XChaCha20-Poly1305). The practices' wrapped keys (`practice_keys`) are
//! left out on purpose: the key backup carries them, so that a deleted
//! practice stays unreadable in the archives made before its deletion. The archive is independent of the backend: a
//! SQLite store can be restored into PostgreSQL and back. Journal entries
//! are copied byte for byte, so the chain verifies after a restore.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::{Dialect, Key, Result, Store, StoreError};

const MAGIC: &[u8] = b"SCEAU-BACKUP-1\n";

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    Blob,
}

use Kind::*;

/// Every table, parents first, with its columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "practices",
        &[("id", Int), ("name", Text), ("created_at", Int)],
    ),
    (
        "access_records",
        &[
            ("practice_id", Int),
            ("counter", Int),
            ("body", Text),
            ("mac", Text),
        ],
    ),
    (
        "register_records",
        &[
            ("practice_id", Int),
            ("patient_id", Text),
            ("counter", Int),
            ("body", Text),
            ("mac", Text),
        ],
    ),
    (
        "accounts",
        &[
            ("id", Int),
            ("practice_id", Int),
            ("username", Text),
            ("display_name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("active", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("mac", Text),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Int),
            ("practice_id", Int),
            ("name", Text),
            ("prefix", Text),
            ("token_hash", Text),
            ("created_by", Int),
            ("created_at", Int),
            ("revoked_at", Int),
            ("last_used_at", Int),
        ],
    ),
    (
        "patients",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("display_name", Blob),
            ("birth_date", Blob),
            ("reference", Blob),
            ("deceased_on", Blob),
            ("created_at", Int),
            ("created_by", Text),
            ("mac", Text),
        ],
    ),
    (
        "care_team",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("patient_id", Text),
            ("name", Text),
            ("profession", Text),
            ("rpps", Text),
            ("ground", Text),
            ("since", Text),
            ("until", Text),
            ("created_at", Int),
            ("mac", Text),
        ],
    ),
    (
        "consents",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("patient_id", Text),
            ("recipient", Text),
            ("professional", Text),
            ("rpps", Text),
            ("what", Blob),
            ("purpose", Text),
            ("method", Text),
            ("given_on", Text),
            ("until", Text),
            ("withdrawn_on", Text),
            ("created_at", Int),
            ("mac", Text),
        ],
    ),
    (
        "oppositions",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("patient_id", Text),
            ("scope", Text),
            ("what", Blob),
            ("since", Text),
            ("informed_on", Text),
            ("lifted_on", Text),
            ("created_at", Int),
            ("mac", Text),
        ],
    ),
    (
        "duties",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("kind", Text),
            ("subject", Blob),
            ("created_at", Int),
            ("created_by", Text),
            ("done_on", Text),
            ("done_how", Blob),
            ("done_at", Int),
            ("done_by", Text),
            ("patient_id", Text),
            ("mac", Text),
        ],
    ),
    (
        "audits",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("number", Int),
            ("checklist", Text),
            ("created_at", Int),
            ("created_by", Text),
            ("author_name", Text),
        ],
    ),
    (
        "audit_answers",
        &[
            ("audit_id", Text),
            ("point", Text),
            ("practice_id", Int),
            ("answer", Text),
            ("comment", Blob),
        ],
    ),
    (
        "recipients",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("kind", Text),
            ("department", Text),
            ("name", Text),
            ("address", Text),
            ("salutation", Text),
            ("email", Text),
            ("phone", Text),
            ("example", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("updated_by", Text),
            ("mac", Text),
        ],
    ),
    (
        "reports",
        &[
            ("id", Text),
            ("practice_id", Int),
            ("status", Text),
            ("recipient", Text),
            ("verdict", Text),
            ("basis", Text),
            ("letter", Blob),
            ("duty_subject", Blob),
            ("kept", Blob),
            ("created_at", Int),
            ("created_by", Text),
            ("updated_at", Int),
            ("drafts", Int),
            ("reviewed_at", Int),
            ("reviewed_by", Text),
            ("sent_on", Text),
            ("sent_means", Text),
            ("sent_by", Text),
            ("journal_seq", Int),
            ("patient_id", Text),
        ],
    ),
    (
        "account_profiles",
        &[
            ("account_id", Int),
            ("practice_id", Int),
            ("rpps", Blob),
            ("address", Blob),
            ("updated_at", Int),
        ],
    ),
    (
        "patient_archive",
        &[
            ("patient_id", Text),
            ("practice_id", Int),
            ("archived_at", Int),
            ("archived_by", Text),
            ("mac", Text),
        ],
    ),
    (
        "journal_heads",
        &[
            ("practice_id", Int),
            ("seq", Int),
            ("hash", Text),
            ("mac", Text),
        ],
    ),
    (
        "journal_entries",
        &[
            ("practice_id", Int),
            ("seq", Int),
            ("at", Int),
            ("practice", Text),
            ("author", Text),
            ("patient", Text),
            ("recipient", Text),
            ("purpose", Text),
            ("action", Text),
            ("verdict", Text),
            ("basis", Text),
            ("information", Blob),
            ("prev", Text),
            ("hash", Text),
            ("mac", Text),
            ("information_digest", Text),
        ],
    ),
    (
        "journal_checkpoints",
        &[
            ("practice_id", Int),
            ("seq", Int),
            ("hash", Text),
            ("at", Int),
            ("mac", Text),
        ],
    ),
];

#[derive(Debug, Serialize, Deserialize)]
struct Archive {
    format: u32,
    created_at: i64,
    schema_version: i64,
    tables: Vec<(String, Vec<Vec<Value>>)>,
    /// Anchor file name → content.
    anchors: Vec<(String, String)>,
}

/// What a backup or a restore covered.
#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    pub rows: usize,
    pub tables: usize,
    pub anchors: usize,
}

impl Store {
    /// The whole store, encrypted with its key.
    pub async fn backup(&self) -> Result<(Vec<u8>, BackupSummary)> {
        let mut tables = vec![];
        let mut rows_total = 0;
        for (table, cols) in TABLES {
            let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
            let sql = format!("SELECT {} FROM {table} ORDER BY 1, 2", names.join(", "));
            let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let mut vals = Vec::with_capacity(cols.len());
                for (i, (_, kind)) in cols.iter().enumerate() {
                    let v = match kind {
                        Int => r.try_get::<Option<i64>, _>(i)?.map(Value::from),
                        Text => r.try_get::<Option<String>, _>(i)?.map(Value::from),
                        Blob => r
                            .try_get::<Option<Vec<u8>>, _>(i)?
                            .map(|b| Value::from(B64.encode(b))),
                    };
                    vals.push(v.unwrap_or(Value::Null));
                }
                out.push(vals);
            }
            rows_total += out.len();
            tables.push((table.to_string(), out));
        }
        let mut anchors = vec![];
        for id in self.practice_ids().await? {
            if let Ok(text) = std::fs::read_to_string(self.anchor_path(id)) {
                anchors.push((format!("journal-{id}.anchor"), text));
            }
        }
        let summary = BackupSummary {
            rows: rows_total,
            tables: tables.len(),
            anchors: anchors.len(),
        };
        let archive = Archive {
            format: 1,
            created_at: crate::now(),
            schema_version: self.schema_version().await?,
            tables,
            anchors,
        };
        let plain =
            serde_json::to_vec(&archive).map_err(|e| StoreError::Internal(e.to_string()))?;
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&self.key().seal_archive(&plain));
        Ok((out, summary))
    }

    /// Whether the store holds nothing yet (no practice).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
            .fetch_one(self.pool())
            .await?;
        Ok(n == 0)
    }

    /// Restores an archive into this (empty) store; the key must be the one it was made with.
    /// The whole archive is read and checked before anything is written.
    pub async fn restore(&self, bytes: &[u8]) -> Result<BackupSummary> {
        let archive = read(self.key(), bytes)?;
        if !self.is_empty().await? {
            return Err(StoreError::Invalid(
                "la base de destination n’est pas vide : restaurez dans un répertoire de données (ou une base PostgreSQL) neuf".into(),
            ));
        }
        let mut tx = self.pool().begin().await?;
        for (table, cols, rows) in &archive.tables {
            let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
            let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                params.join(", ")
            );
            for row in rows {
                let mut q = sqlx::query(&sql);
                for v in row {
                    q = match v {
                        Param::Int(v) => q.bind(*v),
                        Param::Text(v) => q.bind(v.clone()),
                        Param::Blob(v) => q.bind(v.clone()),
                    };
                }
                q.execute(&mut *tx).await?;
            }
        }
        if self.dialect() == Dialect::Postgres {
            for t in ["practices", "accounts", "api_tokens"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                ))
                .fetch_optional(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        // Tokens, accounts and practices are the archive's now.
        self.revocations.happened();
        self.access_seen.forget();
        self.register_seen.forget();
        for (name, text) in &archive.anchors {
            crate::crypto::write_atomic(&self.data_dir().join(name), text.as_bytes())
                .map_err(|e| StoreError::Internal(format!("écriture de {name} : {e}")))?;
        }
        if archive.schema_version < crate::keyring::KEYRING_SCHEMA {
            // Its rows are sealed with the master key itself: the practices
            // get their own keys now, as at the start of an older database.
            self.mark_legacy_keys().await?;
            self.migrate_legacy_keys().await?;
        }
        if archive.schema_version < crate::access_record::SCHEMA {
            // Sealed by the master key, the archive's access rows are
            // Sceau's own: their versions are recorded, as at the start
            // that migrates a database of that time.
            self.adopt_access_records().await?;
        }
        // Its records may predate the suspension's line: each practice's
        // state as the sealed archive has it.
        self.record_suspensions().await?;
        Ok(archive.summary)
    }
}

/// One value of a row, typed as its column.
enum Param {
    Int(Option<i64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
}

type Columns = &'static [(&'static str, Kind)];

/// An archive decrypted and checked against the schema, ready to insert.
struct Checked {
    tables: Vec<(&'static str, Columns, Vec<Vec<Param>>)>,
    /// Anchor files whose names are safe to create in the data directory.
    anchors: Vec<(String, String)>,
    summary: BackupSummary,
    /// The schema the backup was made with.
    schema_version: i64,
}

/// Reads a backup file without writing anything: decrypts it with `key`,
/// parses it and checks every table, row and value against the schema.
/// The summary counts what a restore would write. This is the parser of
/// outside input that `restore` relies on (fuzzed by fuzz/fuzz_targets/backup.rs).
pub fn inspect(key: &Key, bytes: &[u8]) -> Result<BackupSummary> {
    read(key, bytes).map(|c| c.summary)
}

fn read(key: &Key, bytes: &[u8]) -> Result<Checked> {
    let archive = decode(key, bytes)?;
    let malformed =
        |table: &str| StoreError::Invalid(format!("archive : ligne de {table} mal formée"));
    let mut tables = Vec::with_capacity(archive.tables.len());
    let mut rows_total = 0;
    for (table, rows) in &archive.tables {
        let Some(&(name, cols)) = TABLES.iter().find(|(t, _)| t == table) else {
            return Err(StoreError::Invalid(
                "archive : table inconnue de cette version de Sceau (sauvegarde d’une version plus récente ?)".into(),
            ));
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let missing = missing_columns(table, archive.schema_version);
            let short = missing > 0 && row.len() + missing == cols.len();
            if row.len() != cols.len() && !short {
                return Err(malformed(name));
            }
            let mut vals = Vec::with_capacity(cols.len());
            for ((_, kind), v) in cols.iter().zip(row) {
                vals.push(match (kind, v) {
                    (Int, Value::Null) => Param::Int(None),
                    (Int, v) => Param::Int(Some(v.as_i64().ok_or_else(|| malformed(name))?)),
                    (Text, Value::Null) => Param::Text(None),
                    (Text, v) => {
                        Param::Text(Some(v.as_str().ok_or_else(|| malformed(name))?.to_string()))
                    }
                    (Blob, Value::Null) => Param::Blob(None),
                    (Blob, v) => Param::Blob(Some(
                        v.as_str().and_then(|s| B64.decode(s).ok()).ok_or_else(|| {
                            StoreError::Invalid("archive : donnée binaire illisible".into())
                        })?,
                    )),
                });
            }
            if short {
                // The columns a schema lacked are text, at the end.
                vals.extend((0..missing).map(|_| Param::Text(None)));
            }
            out.push(vals);
        }
        rows_total += out.len();
        tables.push((name, cols, out));
    }
    let anchors: Vec<(String, String)> = archive
        .anchors
        .iter()
        .filter(|(name, _)| {
            name.starts_with("journal-")
                && name.ends_with(".anchor")
                && name.len() < 64
                && !name.contains('/')
                && !name.contains('\\')
                && !name.contains('\0')
        })
        .cloned()
        .collect();
    Ok(Checked {
        summary: BackupSummary {
            rows: rows_total,
            tables: tables.len(),
            anchors: archive.anchors.len(),
        },
        tables,
        anchors,
        schema_version: archive.schema_version,
    })
}

/// How many of a table's last columns a backup of `schema` lacks (each
/// restores empty, as it was).
fn missing_columns(table: &str, schema: i64) -> usize {
    let mut n = 0;
    // Before schema 6 the journal's entries and head had no MAC: they
    // restore empty and stay so — never signed after the fact;
    // verification reports the journal unsigned until an administrator
    // takes it back (`journal_resume`).
    if schema < crate::journal::KEYED_SCHEMA
        && (table == "journal_entries" || table == "journal_heads")
    {
        n += 1;
    }
    // Before schema 19 no entry chained the digest of its information:
    // they restore as entries of version 1, unchanged.
    if schema < crate::journal::INFORMATION_DIGEST_SCHEMA && table == "journal_entries" {
        n += 1;
    }
    // Before schema 13, the patient a duty or a report is about (the last
    // column): it restores empty, as it was.
    if schema < 13 && (table == "duties" || table == "reports") {
        n += 1;
    }
    // Before schema 15 an account's row had no MAC: it restores unsigned,
    // refused until attested.
    if schema < 15 && table == "accounts" {
        n += 1;
    }
    // Before schema 16 a consent's or an opposition's row had no MAC: it
    // restores unsigned, « Altéré » and out of every decision until attested.
    if schema < 16 && (table == "consents" || table == "oppositions") {
        n += 1;
    }
    // Before schema 17 the care team, the patients' dates, archiving and
    // the duties had no MAC (the last column): the same, « Altéré » until
    // attested. A duty of before schema 13 lacks both its patient and it.
    if schema < 17
        && matches!(
            table,
            "patients" | "care_team" | "patient_archive" | "duties"
        )
    {
        n += 1;
    }
    // Before schema 20 a directory entry had no MAC (the last column): it
    // restores unsigned, « Altéré » and never a letter's address until
    // attested or saved again by the practice's administrator.
    if schema < crate::directory::SIGNED_SCHEMA && table == "recipients" {
        n += 1;
    }
    // Schema 21 added a table (`register_records`), no column: an archive
    // made before has none, and its register rows restore unrecorded,
    // « Altéré » until `sceau register attest` records them — as a
    // database of that time does after the upgrade. Nothing is missing.
    n
}

fn decode(key: &Key, bytes: &[u8]) -> Result<Archive> {
    let Some(sealed) = bytes.strip_prefix(MAGIC) else {
        return Err(StoreError::Invalid(
            "ce fichier n’est pas une sauvegarde de Sceau".into(),
        ));
    };
    let plain = key.open_archive(sealed).map_err(|_| {
        StoreError::Key(format!(
            "la sauvegarde ne se déchiffre pas avec cette clé ({}) : il faut la clé du cabinet qui l’a faite (fichier sceau.key ou SCEAU_KEY), ou le fichier est endommagé",
            key.origin
        ))
    })?;
    serde_json::from_slice(&plain).map_err(|_| StoreError::Invalid("archive illisible".into()))
}
