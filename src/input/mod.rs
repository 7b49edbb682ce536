//! The input layer shared by the roster and every attendance format: bytes to rows of cells
//! (`table`, with `encoding` warning when 8-bit bytes look like another encoding than the
//! default, and `workbook` reading .xlsx/.xls/.ods sheets as tables), header spellings
//! (`spellings`), dates, times and zones as people write them (`when`, `zone`), text helpers
//! for comparing and quoting cells (`text`), and the one error for a file that cannot be used
//! at all (`error`).
//!
//! Nothing here knows what a roster or an attendance export is: `roster` and `attendance` sit
//! on top of this layer, and `matching` on top of both.

pub mod encoding;
pub mod error;
pub mod spellings;
pub mod table;
pub mod text;
pub mod when;
pub mod workbook;
pub mod zone;

pub use error::InputError;

/// Reads a roster or attendance file: a workbook (recognized by its bytes, whatever its name)
/// gives one table per sheet that holds anything, in sheet order, for the caller to pick the
/// one whose header matches; a text file gives one table, decoded as `declared` says (the
/// course record's `[inputs.encoding]`) or else as [`table::decode`] does, with
/// [`table::Table::likelier`] set when undeclared 8-bit bytes look like another encoding.
pub fn read_tables(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<Vec<table::Table>, table::Unreadable> {
    if workbook::is_workbook(bytes) {
        return workbook::read(bytes);
    }
    let Some(encoding) = declared else {
        let (text, name) = table::decode(bytes);
        let mut table = table::parse_text(&text, name)?;
        if name == "Windows-1252" {
            table.likelier = encoding::likelier(bytes);
        }
        return Ok(vec![table]);
    };
    // A byte-order mark still wins over the declaration (as in every browser).
    let (text, used, _) = encoding.decode(bytes);
    table::parse_text(&text, used.name()).map(|table| vec![table])
}

/// The file extensions read from the attendance and assessment folders: text tables and
/// workbooks (lower case, with the dot).
pub const TABLE_EXTENSIONS: [&str; 6] = [".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods"];

/// The names of the files in `dir` that ceu reads as inputs, sorted: regular files whose name
/// ends with one of `extensions` (lower case, with the dot, matched case-insensitively), except
/// hidden files, Excel's `~$` lock files and the names in `skip` (lower case). `display_dir` is
/// the folder as messages show it. Errors: the folder cannot be read (exit 2).
pub fn folder_files(
    dir: &std::path::Path,
    display_dir: &std::path::Path,
    extensions: &[&str],
    skip: &[&str],
) -> Result<Vec<String>, error::InputError> {
    let io = |source| error::InputError::io(display_dir, source);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let lower = name.to_lowercase();
        let wanted = extensions.iter().any(|ext| lower.ends_with(ext))
            && !skip.contains(&lower.as_str())
            && !name.starts_with('.')
            && !name.starts_with("~$");
        if wanted && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}
