//! The recipients' directory: tribunaux judiciaires (parquets), CRIP,
//! préfectures. Maintained by the administrator; nothing is fetched at run
//! time. The built-in one holds examples only (`example = true`).

use serde::{Deserialize, Serialize};

/// The built-in directory (examples to replace).
pub const DEFAULT_DIRECTORY_TOML: &str = include_str!("../data/directory.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The contract's recipient value: procureur, crip, prefet…
    pub kind: String,
    /// Département code (« 69 », « 2A »).
    pub department: String,
    /// Formule d'appel (« Madame, Monsieur le procureur de la République »).
    #[serde(default)]
    pub salutation: Option<String>,
    pub lines: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// An example entry, to be checked before any use.
    #[serde(default)]
    pub example: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    #[serde(default)]
    pub recipient: Vec<Entry>,
}

impl Directory {
    pub fn from_toml(text: &str) -> Result<Directory, String> {
        let d: Directory = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, e) in d.recipient.iter().enumerate() {
            if e.lines.is_empty() {
                return Err(format!("recipient[{i}] : « lines » est vide"));
            }
        }
        Ok(d)
    }

    /// The built-in directory of examples.
    pub fn builtin() -> Directory {
        Directory::from_toml(DEFAULT_DIRECTORY_TOML).expect("the built-in directory parses")
    }

    /// The entry for a kind of recipient in a département.
    pub fn find(&self, kind: &str, department: &str) -> Option<&Entry> {
        let dep = normalise_department(department);
        self.recipient
            .iter()
            .find(|e| e.kind == kind && normalise_department(&e.department) == dep)
    }
}

fn normalise_department(d: &str) -> String {
    let d = d.trim().to_uppercase();
    match d.parse::<u32>() {
        Ok(n) if n < 10 => format!("0{n}"),
        _ => d,
    }
}

/// The default salutation for a kind of recipient.
pub fn default_salutation(kind: &str) -> &'static str {
    match kind {
        "procureur" => "Madame, Monsieur le procureur de la République",
        "prefet" => "Madame, Monsieur le préfet",
        "juge" => "Madame, Monsieur le juge",
        _ => "Madame, Monsieur",
    }
}
