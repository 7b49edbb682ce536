//! The PDF signature on every certificate: a PAdES baseline B-B approval signature appended
//! as an incremental update, and reading it back.
//!
//! The rendered PDF is kept byte for byte as the first revision (an exact prefix of the signed
//! file); the update adds, after it:
//! - the catalog again, with `/AcroForm`; the page again, with the widget in `/Annots`;
//! - the signature field merged with its widget: `/FT/Sig`, invisible (`/Rect[0 0 0 0]`,
//!   no appearance needed), `/F 132` (Print + Locked, not Hidden/NoView: PDF/A-3 6.3.2);
//! - the signature dictionary: `/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached`, `/M`
//!   the issue time, `/ByteRange [0 a b c]` covering the whole file but the `/Contents` hex
//!   string (PDF/A-3 6.4.3), and `/Contents` the CMS (see [`crate::cades`]), zero-padded;
//! - the AcroForm `/Fields [widget] /SigFlags 3`;
//! - a classic cross-reference section and a trailer with `/Prev`, the same `/Root`, `/Info`
//!   and `/ID`, and `/Size` grown by three.
//!
//! Nothing else changes: no version bump, no `/Info` or XMP change (PDF/A-3b keeps holding as
//! far as these rules go; veraPDF was not available to check the rest). Same input, same key,
//! same time: same bytes (RFC 6979 ECDSA, no signing-time attribute).
//!
//! The appender reads the few objects it needs from ceu's own renderer output (classic xref
//! table), with the scanner of [`crate::render::attachment`]; anything it does not expect is an
//! error, never a guess.

use crate::cades::{self, DocumentSigner};
use crate::render::attachment::{
    Reference, find, key_reference, object_text, parse_reference, parse_uint, rfind, skip_ws,
};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// Bytes reserved for the CMS in `/Contents` (written as twice as many hex digits). The CMS
/// is ~907 bytes (one P-256 certificate, one signer; measured), so this leaves more than
/// twice that; a larger CMS is refused, never truncated.
pub const CONTENTS_BYTES: usize = 2048;
/// The signature field's name, as readers list it.
pub const FIELD_NAME: &str = "ProviderSig";

const BYTE_RANGE_SLOT: &str = "[0 0000000000 0000000000 0000000000]";

/// Why a PDF could not be signed (a renderer output ceu does not expect, or the CMS).
#[derive(Debug, thiserror::Error)]
pub enum PadesError {
    #[error("cannot sign the PDF: {0}")]
    Structure(&'static str),
    #[error(transparent)]
    Cades(#[from] cades::CadesError),
}

/// What the last revision's trailer says.
struct Trailer<'a> {
    size: u32,
    root: Reference,
    /// The raw `/Info` and `/ID` entries, copied as they are.
    info: Option<&'a [u8]>,
    id: Option<&'a [u8]>,
    /// Offset of the last cross-reference section (`startxref`).
    startxref: u64,
}

/// Signs `pdf` (an unsigned PDF rendered by ceu): returns the PDF with the signature appended
/// as an incremental update. `signed_at` becomes `/M`. Errors: [`PadesError::Structure`] (a
/// PDF ceu does not expect: no trailer, catalog or page, or a form already there),
/// [`PadesError::Cades`] (the CMS could not be made).
pub fn sign_pdf(
    pdf: &[u8],
    signer: &DocumentSigner,
    signed_at: DateTime<Utc>,
) -> Result<Vec<u8>, PadesError> {
    let trailer = read_trailer(pdf).ok_or(PadesError::Structure("no readable trailer"))?;
    let catalog = dictionary(pdf, trailer.root).ok_or(PadesError::Structure("no catalog"))?;
    if find(catalog, b"/AcroForm").is_some() {
        return Err(PadesError::Structure("the PDF already has a form"));
    }
    let page = first_page(pdf, catalog).ok_or(PadesError::Structure("no page"))?;
    let page_dict = dictionary(pdf, page).ok_or(PadesError::Structure("no page object"))?;
    let update = Update {
        trailer: &trailer,
        catalog,
        page,
        page_dict,
    };
    let (mut out, signature_start) = update.append_to(pdf, signed_at)?;
    fill_signature(&mut out, signature_start, signer)?;
    Ok(out)
}

/// What the incremental update rewrites: the catalog (now with the form) and the first page
/// (now with the signature widget).
struct Update<'a> {
    trailer: &'a Trailer<'a>,
    catalog: &'a [u8],
    page: Reference,
    page_dict: &'a [u8],
}

impl Update<'_> {
    /// `pdf` followed by the update: catalog, page, widget, signature (its `/ByteRange` and
    /// `/Contents` reserved), form, cross-reference section and trailer. Returns the bytes and
    /// where the signature object starts.
    fn append_to(
        &self,
        pdf: &[u8],
        signed_at: DateTime<Utc>,
    ) -> Result<(Vec<u8>, usize), PadesError> {
        let trailer = self.trailer;
        let (widget, sig, acroform) = (trailer.size, trailer.size + 1, trailer.size + 2);
        let mut out = Vec::with_capacity(pdf.len() + 2 * CONTENTS_BYTES + 2048);
        out.extend_from_slice(pdf);
        if !pdf.ends_with(b"\n") {
            out.push(b'\n');
        }
        let mut offsets: Vec<(u32, usize)> = Vec::new();
        let mut object = |out: &mut Vec<u8>, num: u32, body: &[u8]| {
            offsets.push((num, out.len()));
            out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        object(
            &mut out,
            trailer.root.0,
            &with_entry(self.catalog, &format!("/AcroForm {acroform} 0 R")),
        );
        object(
            &mut out,
            self.page.0,
            &page_with_widget(self.page_dict, widget)?,
        );
        object(
            &mut out,
            widget,
            format!(
                "<</Type/Annot/Subtype/Widget/FT/Sig/T({FIELD_NAME})/V {sig} 0 R/F 132/Rect[0 0 0 0]/P {} {} R>>",
                self.page.0, self.page.1
            )
            .as_bytes(),
        );
        let signature_start = out.len();
        object(
            &mut out,
            sig,
            format!(
                "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M({})/ByteRange{BYTE_RANGE_SLOT}/Contents<{}>>>",
                pdf_date(signed_at),
                "0".repeat(2 * CONTENTS_BYTES)
            )
            .as_bytes(),
        );
        object(
            &mut out,
            acroform,
            format!("<</Fields[{widget} 0 R]/SigFlags 3>>").as_bytes(),
        );
        write_xref_and_trailer(&mut out, offsets, trailer);
        Ok((out, signature_start))
    }
}

/// The page dictionary with the signature widget added to its `/Annots`.
fn page_with_widget(page_dict: &[u8], widget: u32) -> Result<Vec<u8>, PadesError> {
    let Some(at) = find(page_dict, b"/Annots") else {
        return Ok(with_entry(page_dict, &format!("/Annots[{widget} 0 R]")));
    };
    // An inline array: add the widget to it. (ceu's pages have no annotations today.)
    let rest = &page_dict[at + b"/Annots".len()..];
    let open = skip_ws(rest);
    if open.first() != Some(&b'[') {
        return Err(PadesError::Structure(
            "the page's /Annots is not an inline array",
        ));
    }
    let insert = page_dict.len() - open.len() + 1;
    let mut body = page_dict[..insert].to_vec();
    body.extend_from_slice(format!("{widget} 0 R ").as_bytes());
    body.extend_from_slice(&page_dict[insert..]);
    Ok(body)
}

/// Appends the update's cross-reference section (one subsection per run of consecutive object
/// numbers) and its trailer, which points back at the previous one (`/Prev`).
fn write_xref_and_trailer(out: &mut Vec<u8>, mut offsets: Vec<(u32, usize)>, trailer: &Trailer) {
    let xref = out.len();
    offsets.sort_unstable();
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j].0 == offsets[j - 1].0 + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", offsets[i].0, j - i).as_bytes());
        for (_, offset) in &offsets[i..j] {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        i = j;
    }
    let mut dict = format!(
        "trailer\n<</Size {}/Root {} {} R",
        trailer.size + 3,
        trailer.root.0,
        trailer.root.1
    );
    for (key, value) in [("/Info", trailer.info), ("/ID", trailer.id)] {
        if let Some(value) = value {
            dict.push_str(key);
            dict.push(' ');
            dict.push_str(&String::from_utf8_lossy(value));
        }
    }
    let _ = write!(
        dict,
        "/Prev {}>>\nstartxref\n{xref}\n%%EOF\n",
        trailer.startxref
    );
    out.extend_from_slice(dict.as_bytes());
}

/// Fills the reserved `/ByteRange` (everything but the `<…>` of /Contents) and `/Contents`
/// (the hex CMS over that range) of the signature object at `signature_start`.
fn fill_signature(
    out: &mut [u8],
    signature_start: usize,
    signer: &DocumentSigner,
) -> Result<(), PadesError> {
    let sig_object = &out[signature_start..];
    let range_at = signature_start
        + find(sig_object, b"/ByteRange").ok_or(PadesError::Structure("lost /ByteRange"))?
        + b"/ByteRange".len();
    let contents_open = signature_start
        + find(sig_object, b"/Contents<").ok_or(PadesError::Structure("lost /Contents"))?
        + b"/Contents".len();
    let contents_end = contents_open + 2 * CONTENTS_BYTES + 2;
    let tail = out.len() - contents_end;
    let range = format!("[0 {contents_open:<10} {contents_end:<10} {tail:<10}]");
    debug_assert_eq!(range.len(), BYTE_RANGE_SLOT.len());
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());

    let digest = ranges_sha256(out, contents_open, contents_end);
    let cms = signer.sign_digest(&digest)?;
    if cms.len() > CONTENTS_BYTES {
        return Err(PadesError::Structure(
            "the CMS signature is larger than its reserved space",
        ));
    }
    let hex = hex::encode(&cms);
    out[contents_open + 1..contents_open + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// SHA-256 over the file without `[gap_start, gap_end)`.
fn ranges_sha256(pdf: &[u8], gap_start: usize, gap_end: usize) -> [u8; 32] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(&pdf[..gap_start]);
    context.update(&pdf[gap_end..]);
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

/// `D:YYYYMMDDHHmmSSZ` (ISO 32000 §7.9.4), UTC.
fn pdf_date(at: DateTime<Utc>) -> String {
    at.format("D:%Y%m%d%H%M%SZ").to_string()
}

/// The dictionary `dict` (`<< … >>`) with `entry` added before its closing `>>`.
fn with_entry(dict: &[u8], entry: &str) -> Vec<u8> {
    let close = dict.len() - 2;
    let mut body = dict[..close].to_vec();
    body.extend_from_slice(entry.as_bytes());
    body.extend_from_slice(b">>");
    body
}

/// The text `<< … >>` of object `id`, trimmed (None for anything else, e.g. a stream).
fn dictionary(pdf: &[u8], id: Reference) -> Option<&[u8]> {
    let text = object_text(pdf, id)?.trim_ascii();
    (text.starts_with(b"<<") && text.ends_with(b">>") && find(text, b"stream").is_none())
        .then_some(text)
}

/// The first page: the catalog's `/Pages` → its first `/Kids` entry (one level, as ceu
/// writes one-page certificates).
fn first_page(pdf: &[u8], catalog: &[u8]) -> Option<Reference> {
    let pages = dictionary(pdf, key_reference(catalog, b"/Pages")?)?;
    let kids = skip_ws(pages.get(find(pages, b"/Kids")? + b"/Kids".len()..)?);
    let (page, _) = parse_reference(kids.strip_prefix(b"[")?)?;
    Some(page)
}

/// The last trailer and `startxref` of a file with a classic cross-reference table.
fn read_trailer(pdf: &[u8]) -> Option<Trailer<'_>> {
    let startxref_at = rfind(pdf, b"startxref")?;
    let (startxref, _) = parse_uint(pdf.get(startxref_at + b"startxref".len()..)?)?;
    let trailer_at = rfind(pdf.get(..startxref_at)?, b"trailer")?;
    let dict = pdf
        .get(trailer_at + b"trailer".len()..startxref_at)?
        .trim_ascii();
    let size_at = find(dict, b"/Size")? + b"/Size".len();
    let (size, _) = parse_uint(dict.get(size_at..)?)?;
    Some(Trailer {
        size: u32::try_from(size).ok()?,
        root: key_reference(dict, b"/Root")?,
        info: entry_value(dict, b"/Info", b'R'),
        id: entry_value(dict, b"/ID", b']'),
        startxref,
    })
}

/// The raw value after `key` up to and including the first `end` byte (`R` of a reference,
/// `]` of an array).
fn entry_value<'a>(dict: &'a [u8], key: &[u8], end: u8) -> Option<&'a [u8]> {
    let start = find(dict, key)? + key.len();
    let value = dict.get(start..)?;
    let stop = value.iter().position(|&b| b == end)?;
    Some(value[..=stop].trim_ascii())
}

/// A PDF signature found in a file, before its CMS is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSignature {
    /// SHA-256 of the bytes the `/ByteRange` covers.
    pub digest: [u8; 32],
    /// The CMS from `/Contents` (with its zero padding).
    pub cms: Vec<u8>,
    /// `/M` as written (`D:…`), if any.
    pub signed_at: Option<String>,
    /// Length of the revision before the signature's update (the rendered PDF).
    pub unsigned_len: Option<usize>,
}

/// Why a signature found in a PDF cannot be checked, or does not cover the file.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FoundError {
    #[error("the signature's /ByteRange is unreadable")]
    ByteRange,
    #[error(
        "the signature covers bytes 0–{covered} of {len}: bytes were added or changed after signing (not the total document signed)"
    )]
    NotWholeFile { covered: usize, len: usize },
    #[error("the signature's /Contents is not a hex string where /ByteRange says")]
    Contents,
    #[error(
        "the signature's /Contents is not in the lower-case hex ceu writes: the same signature was re-spelt after signing"
    )]
    ContentsSpelling,
}

/// Finds the last PDF signature in `pdf`. `None` when the file has none (a certificate issued
/// before ceu signed PDFs, or a file rewritten by another program).
pub fn find_signature(pdf: &[u8]) -> Option<Result<FoundSignature, FoundError>> {
    let at = rfind(pdf, b"/ByteRange")?;
    Some(read_signature(pdf, at))
}

fn read_signature(pdf: &[u8], at: usize) -> Result<FoundSignature, FoundError> {
    let rest = skip_ws(&pdf[at + b"/ByteRange".len()..]);
    let mut rest = rest.strip_prefix(b"[").ok_or(FoundError::ByteRange)?;
    let mut range = [0usize; 4];
    for value in &mut range {
        let (number, after) = parse_uint(rest).ok_or(FoundError::ByteRange)?;
        *value = usize::try_from(number).map_err(|_| FoundError::ByteRange)?;
        rest = after;
    }
    let [start, gap_start, gap_end, tail] = range;
    let covered = gap_end.checked_add(tail).ok_or(FoundError::ByteRange)?;
    if start != 0 || gap_start >= gap_end || covered != pdf.len() {
        return Err(FoundError::NotWholeFile {
            covered: covered.min(pdf.len()),
            len: pdf.len(),
        });
    }
    let hex_text = pdf
        .get(gap_start..gap_end)
        .and_then(|s| s.strip_prefix(b"<"))
        .and_then(|s| s.strip_suffix(b">"))
        .ok_or(FoundError::Contents)?;
    // /Contents is the one part of the file the signature cannot cover, and hex reads the
    // same bytes upper- or lower-case: accepting both would let a changed file verify as the
    // signed one (bench/pdf-mutations found it). ceu writes lower case only.
    if hex_text.iter().any(u8::is_ascii_uppercase) {
        return Err(FoundError::ContentsSpelling);
    }
    let cms = hex::decode(hex_text).map_err(|_| FoundError::Contents)?;
    // /M of the same dictionary: the nearest `/M(` before /ByteRange.
    let dict_start = rfind(&pdf[..at], b"/Type/Sig").unwrap_or(at);
    let signed_at = find(&pdf[dict_start..gap_start], b"/M(").and_then(|m| {
        let text = &pdf[dict_start + m + 3..gap_start];
        let end = text.iter().position(|&b| b == b')')?;
        Some(String::from_utf8_lossy(&text[..end]).into_owned())
    });
    Ok(FoundSignature {
        digest: ranges_sha256(pdf, gap_start, gap_end),
        cms,
        signed_at,
        unsigned_len: previous_revision_len(pdf),
    })
}

/// Length of the revision before the last incremental update: up to and including the
/// `%%EOF` line that ends the section the last trailer's `/Prev` names.
pub fn previous_revision_len(pdf: &[u8]) -> Option<usize> {
    let startxref_at = rfind(pdf, b"startxref")?;
    let trailer_at = rfind(&pdf[..startxref_at], b"trailer")?;
    let dict = &pdf[trailer_at..startxref_at];
    let prev_at = find(dict, b"/Prev")? + b"/Prev".len();
    let (prev, _) = parse_uint(&dict[prev_at..])?;
    let prev = usize::try_from(prev).ok()?;
    let eof = prev + find(pdf.get(prev..)?, b"%%EOF")? + b"%%EOF".len();
    let mut end = eof;
    if pdf.get(end) == Some(&b'\r') {
        end += 1;
    }
    if pdf.get(end) == Some(&b'\n') {
        end += 1;
    }
    Some(end)
}

/// Checks a found signature's CMS against the bytes it covers (see [`cades::verify_cms`]).
pub fn verify(found: &FoundSignature) -> Result<cades::VerifiedSignature, cades::CadesError> {
    cades::verify_cms(&found.cms, &found.digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF shaped like krilla's output: classic xref, trailer with /Info and /ID.
    fn minimal_pdf() -> Vec<u8> {
        let objects = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
            "<</Producer(test)>>",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f\r\n");
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<</Size 5/Root 1 0 R/Info 4 0 R/ID[<AA><AA>]>>\nstartxref\n{xref}\n%%EOF"
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn signing_appends_a_whole_file_signature_and_keeps_the_original_as_a_prefix() {
        let key = crate::sign::KeyPair::generate();
        let signer = DocumentSigner::derive(&key).unwrap();
        let at = DateTime::parse_from_rfc3339("2025-03-10T12:00:00Z")
            .unwrap()
            .to_utc();
        let pdf = minimal_pdf();
        let signed = sign_pdf(&pdf, &signer, at).unwrap();
        assert_eq!(&signed[..pdf.len()], &pdf[..]);
        assert_eq!(
            sign_pdf(&pdf, &signer, at).unwrap(),
            signed,
            "deterministic"
        );
        let found = find_signature(&signed).unwrap().unwrap();
        assert_eq!(found.signed_at.as_deref(), Some("D:20250310120000Z"));
        // The original has no EOL after %%EOF; the update starts on a new line.
        assert_eq!(found.unsigned_len, Some(pdf.len() + 1));
        let verified = verify(&found).unwrap();
        assert_eq!(verified.certificate_sha256, signer.certificate_sha256());

        // One changed byte inside the signed range.
        let mut changed = signed.clone();
        changed[20] ^= 1;
        let found = find_signature(&changed).unwrap().unwrap();
        assert!(verify(&found).is_err());
        // Bytes appended after signing.
        let mut longer = signed.clone();
        longer.extend_from_slice(b"\n% more\n");
        assert!(matches!(
            find_signature(&longer),
            Some(Err(FoundError::NotWholeFile { .. }))
        ));
        assert!(find_signature(&pdf).is_none());
    }
}
