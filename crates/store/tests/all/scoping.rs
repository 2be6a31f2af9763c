//! Every query of the store that touches a practice's table is scoped by
//! its practice (issue 17: a practice never sees another's data, and the
//! data could shard by practice): the SQL text names `practice_id`, or it
//! is one of the few statements below, which reach a row by a key unique
//! across the whole database and whose callers check the practice.
//! Reads the store's sources, so that a new query cannot slip past.

use std::path::Path;

/// Statements allowed without `practice_id`, each with why.
const GLOBAL_KEYS: &[(&str, &str)] = &[
    (
        "FROM accounts WHERE id = $1",
        "an account by its id: callers compare its practice_id",
    ),
    (
        "SELECT COUNT(*) FROM accounts\"",
        "needs_setup: whether the server has any account at all",
    ),
    (
        "LEFT JOIN accounts a ON a.id = t.created_by WHERE t.id = $1",
        "testing::set_token_expiry: a token by its id (tests only)",
    ),
    (
        "UPDATE api_tokens SET revoked_at = $1, mac = NULL WHERE created_by = $2",
        "the tokens an account (of the caller's practice) owns",
    ),
    (
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
        "the token just authenticated",
    ),
    (
        "WHERE t.token_hash = $1",
        "a token by its hash, unique; its practice comes with it",
    ),
    (
        "FROM {table} WHERE practice_id",
        "tenants.rs: the table list of a practice",
    ),
];

fn tenant_tables() -> &'static [&'static str] {
    sceau_store::tenants::PRACTICE_TABLES
}

/// The SQL string literals of a source file (the text between quotes that
/// starts with a statement keyword).
fn sql_literals(src: &str) -> Vec<String> {
    let mut out = vec![];
    let bytes: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '"' {
            let mut j = i + 1;
            while j < bytes.len() && !(bytes[j] == '"' && bytes[j - 1] != '\\') {
                j += 1;
            }
            let lit: String = bytes[i + 1..j.min(bytes.len())].iter().collect();
            let head = lit.trim_start().to_uppercase();
            if ["SELECT ", "UPDATE ", "DELETE ", "INSERT ", "WITH "]
                .iter()
                .any(|k| head.starts_with(k))
            {
                out.push(format!("{lit}\""));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn names_table(sql: &str, table: &str) -> bool {
    sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w == table)
}

#[test]
fn every_query_on_a_practice_s_tables_is_scoped_by_practice() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut unscoped = vec![];
    let mut seen = 0;
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // testing.rs: helpers of the tests; migrate.rs: the schema itself;
        // backup.rs: copies every table whole, by design.
        if !name.ends_with(".rs")
            || ["testing.rs", "migrate.rs", "backup.rs"].contains(&name.as_str())
        {
            continue;
        }
        for sql in sql_literals(&std::fs::read_to_string(&path).unwrap()) {
            if !tenant_tables().iter().any(|t| names_table(&sql, t)) {
                continue;
            }
            seen += 1;
            if sql.contains("practice_id") || GLOBAL_KEYS.iter().any(|(k, _)| sql.contains(k)) {
                continue;
            }
            unscoped.push(format!(
                "{name}: {}",
                sql.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    assert!(
        seen > 50,
        "the scanner found only {seen} queries: it is broken"
    );
    assert!(
        unscoped.is_empty(),
        "queries not scoped by practice:\n{}",
        unscoped.join("\n")
    );
}

#[test]
fn the_scanner_catches_an_unscoped_query() {
    let src = r#"sqlx::query("SELECT id, display_name FROM patients WHERE id = $1")"#;
    let found = sql_literals(src);
    assert_eq!(found.len(), 1);
    assert!(!found[0].contains("practice_id"));
    assert!(names_table(&found[0], "patients"));
}
