//! A name with underscores followed by a file's extension names a file, not
//! a person's handle (« planning_tournee_S12.csv », « export_bilans.xlsx »):
//! exports and attachments head their notes with it.

/// Extensions of the files notes name (exports, documents, images).
const EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "xls", "xlsx", "ods", "odt", "doc", "docx", "pdf", "json", "xml", "jpg",
    "jpeg", "png", "zip",
];

/// Whether a file's extension follows right after `end`.
pub(crate) fn extension_after(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix('.') else {
        return false;
    };
    let ext: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    EXTENSIONS.contains(&ext.to_lowercase().as_str())
}
