//! The PDF-reading half of `crate::render`: the embedded record and the byte scanners `pades`
//! uses (the rest of `render` is typst).
#[path = "../../../../src/render/attachment.rs"]
pub mod attachment;
pub use attachment::extract_attachment;
