//! The recipients' directory: tribunaux judiciaires (parquets), CRIP,
//! préfectures, préfecture de police, medical and administrative
//! authorities. Maintained by the administrator (in the web application,
//! per practice; on the command line, a TOML file or the practice's store);
//! nothing is fetched at run time. The built-in one holds examples only
//! (`example = true`), offered as a starting point to import and check.

use serde::{Deserialize, Serialize};

/// The built-in directory (examples to replace).
pub const DEFAULT_DIRECTORY_TOML: &str = include_str!("../data/directory.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// procureur, crip, prefet, prefet_police, autorite_medicale,
    /// autorite_administrative: the contract's recipient values, plus
    /// `prefet_police` (the préfet of CP 226-14 4° in Paris).
    pub kind: String,
    /// Département code (« 69 », « 2A »).
    pub department: String,
    /// The institution (« Tribunal judiciaire de Lyon »).
    pub name: String,
    /// The postal address, one line per element.
    pub address: Vec<String>,
    /// Formule d'appel (« Madame, Monsieur le procureur de la République »);
    /// by kind when absent.
    #[serde(default)]
    pub salutation: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// An example entry, to be checked before any use.
    #[serde(default)]
    pub example: bool,
}

impl Entry {
    /// The address block of the letter: the addressee (by kind), the
    /// institution, the postal address.
    pub fn block(&self) -> Vec<String> {
        let mut out: Vec<String> = addressee(&self.kind)
            .map(str::to_string)
            .into_iter()
            .collect();
        out.push(self.name.trim().to_string());
        out.extend(self.address.iter().map(|l| l.trim().to_string()));
        out.retain(|l| !l.is_empty());
        out
    }

    /// The formule d'appel of the letter.
    pub fn salutation(&self) -> String {
        self.salutation
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| default_salutation(&self.kind).to_string())
    }
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
            if e.name.trim().is_empty() {
                return Err(format!("recipient[{i}] : « name » est vide"));
            }
            if e.address.iter().all(|l| l.trim().is_empty()) {
                return Err(format!("recipient[{i}] : « address » est vide"));
            }
        }
        Ok(d)
    }

    /// The built-in directory of examples.
    pub fn builtin() -> Directory {
        Directory::from_toml(DEFAULT_DIRECTORY_TOML).expect("the built-in directory parses")
    }

    /// The entries that can receive what the engine addresses to a contract
    /// `recipient` value in a département (the préfet de police answers for
    /// « prefet »), in the directory's order.
    pub fn matching(&self, recipient: &str, department: &str) -> Vec<&Entry> {
        let dep = normalise_department(department);
        self.recipient
            .iter()
            .filter(|e| serves(&e.kind, recipient) && normalise_department(&e.department) == dep)
            .collect()
    }

    /// The examples of one département.
    pub fn of_department(&self, department: &str) -> Vec<&Entry> {
        let dep = normalise_department(department);
        self.recipient
            .iter()
            .filter(|e| normalise_department(&e.department) == dep)
            .collect()
    }

    /// The départements the directory covers, sorted.
    pub fn departments(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .recipient
            .iter()
            .map(|e| normalise_department(&e.department))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Whether a directory kind receives what is addressed to a contract
/// recipient value.
pub fn serves(kind: &str, recipient: &str) -> bool {
    kind == recipient || (kind == "prefet_police" && recipient == "prefet")
}

fn normalise_department(d: &str) -> String {
    let d = d.trim().to_uppercase();
    match d.parse::<u32>() {
        Ok(n) if n < 10 => format!("0{n}"),
        _ => d,
    }
}

/// The first line of the address block, by kind.
fn addressee(kind: &str) -> Option<&'static str> {
    match kind {
        "procureur" => Some("Madame, Monsieur le procureur de la République"),
        "prefet" => Some("Madame, Monsieur le préfet"),
        "prefet_police" => Some("Madame, Monsieur le préfet de police"),
        _ => None,
    }
}

/// The default salutation for a kind of recipient.
pub fn default_salutation(kind: &str) -> &'static str {
    match kind {
        "procureur" => "Madame, Monsieur le procureur de la République",
        "prefet" => "Madame, Monsieur le préfet",
        "prefet_police" => "Madame, Monsieur le préfet de police",
        "juge" => "Madame, Monsieur le juge",
        _ => "Madame, Monsieur",
    }
}
