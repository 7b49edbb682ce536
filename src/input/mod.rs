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
