//! The input layer shared by the roster and every attendance format: bytes to rows of cells
//! (`table`, with `encoding` deciding how the bytes are decoded), header spellings
//! (`spellings`), dates, times and zones as people write them (`when`, `zone`), text helpers
//! for comparing and quoting cells (`text`), and the one error for a file that cannot be used
//! at all (`error`).
//!
//! Nothing here knows what a roster or an attendance export is: `roster` and `attendance` sit
//! on top of this layer, and `matching` on top of both.

pub mod error;
pub mod spellings;
pub mod table;
pub mod text;
pub mod when;
pub mod zone;

pub use error::InputError;
