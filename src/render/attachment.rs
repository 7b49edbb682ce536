//! Reading the signed certificate record back out of a rendered PDF.
//!
//! A small, panic-free scanner first: `ceu` mostly needs the one embedded file its own
//! renderer wrote (classic cross-reference table, the record as a plain or Flate-compressed
//! stream), and verifying thousands of PDFs must stay fast. When the scanner finds nothing,
//! a real parser (hayro-syntax) reads files other programs re-saved. What it returns
//! is never trusted as such: the caller checks the record's signature and the PDF's hash.
//!
//! The path followed is the one a PDF reader takes: the catalog's `/EmbeddedFiles` name tree
//! entry `(certificate-record.json)` → the file specification → its `/EF /F` stream. When a
//! file was updated incrementally the last definition of an object wins, as in a reader.

use std::io::Read;

/// File name of the embedded record inside the PDF.
pub const ATTACHMENT_NAME: &str = "certificate-record.json";

/// Largest record accepted after decompression (a record is a few kilobytes).
const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// The embedded signed record of a PDF (None when absent): first the fast scanner, which
/// reads what ceu's renderer writes; when it finds nothing (a file another program re-saved:
/// object streams, renumbered objects, a cross-reference stream), a real PDF parser
/// (hayro-syntax) walks the same path.
pub fn extract_attachment(pdf: &[u8]) -> Option<Vec<u8>> {
    extract_scanned(pdf).or_else(|| extract_parsed(pdf))
}

/// The record through hayro-syntax: catalog → `/Names /EmbeddedFiles` name tree (with
/// `/Kids`) → the file specification named [`ATTACHMENT_NAME`] → `/EF /F` (or `/UF`).
fn extract_parsed(pdf: &[u8]) -> Option<Vec<u8>> {
    use hayro_syntax::object::Dict;
    let parsed = hayro_syntax::Pdf::new(pdf.to_vec()).ok()?;
    let xref = parsed.xref();
    let catalog: Dict<'_> = xref.get(xref.root_id())?;
    let tree: Dict<'_> = catalog.get::<Dict<'_>>("Names")?.get("EmbeddedFiles")?;
    let data = find_in_name_tree(&tree, 0)?;
    (data.len() as u64 <= MAX_RECORD_BYTES).then_some(data)
}

/// Depth-first search of a name tree node for [`ATTACHMENT_NAME`] (at most 32 levels).
fn find_in_name_tree(node: &hayro_syntax::object::Dict<'_>, depth: u32) -> Option<Vec<u8>> {
    use hayro_syntax::object::{Array, Dict, Stream, String as PdfString};
    if depth > 32 {
        return None;
    }
    if let Some(names) = node.get::<Array<'_>>("Names") {
        let mut items = names.flex_iter();
        while let Some(name) = items.next::<PdfString<'_>>() {
            let spec = items.next::<Dict<'_>>()?;
            if name.as_bytes() == ATTACHMENT_NAME.as_bytes() {
                let files: Dict<'_> = spec.get("EF")?;
                let stream: Stream<'_> = files.get("F").or_else(|| files.get("UF"))?;
                return stream.decoded().ok().map(|data| data.into_owned());
            }
        }
    }
    let kids = node.get::<Array<'_>>("Kids")?;
    kids.iter::<Dict<'_>>()
        .find_map(|kid| find_in_name_tree(&kid, depth + 1))
}

/// The fast path: ceu's own output, scanned without parsing the whole file.
fn extract_scanned(pdf: &[u8]) -> Option<Vec<u8>> {
    let key = format!("({ATTACHMENT_NAME})");
    let after_name = rfind(pdf, key.as_bytes())? + key.len();
    let (filespec, _) = parse_reference(pdf.get(after_name..)?)?;
    let spec = object_text(pdf, filespec)?;
    let ef = find(spec, b"/EF")?;
    let stream_ref = key_reference(spec.get(ef + 3..)?, b"/F")?;
    stream_data(pdf, stream_ref)
}

/// An indirect reference `num gen`.
pub(crate) type Reference = (u32, u16);

/// Decoded data of the stream object `id`.
fn stream_data(pdf: &[u8], id: Reference) -> Option<Vec<u8>> {
    let start = object_start(pdf, id)?;
    let rest = pdf.get(start..)?;
    let keyword = find(rest, b"stream")?;
    let dict = rest.get(..keyword)?;
    let length = match key_reference(dict, b"/Length") {
        Some(length_ref) => parse_uint(object_text(pdf, length_ref)?)?.0,
        None => parse_uint(skip_ws(dict.get(find(dict, b"/Length")? + 7..)?))?.0,
    };
    // The keyword is followed by CRLF or LF, then exactly /Length bytes.
    let mut body = keyword + b"stream".len();
    if rest.get(body) == Some(&b'\r') {
        body += 1;
    }
    if rest.get(body) == Some(&b'\n') {
        body += 1;
    }
    let raw = rest.get(body..body.checked_add(usize::try_from(length).ok()?)?)?;

    let filter = find(dict, b"/Filter").map(|at| dict.get(at + 7..).unwrap_or_default());
    match filter {
        None => Some(raw.to_vec()),
        Some(f)
            if skip_ws(f).trim_ascii_start().starts_with(b"/FlateDecode")
                || skip_ws(f).starts_with(b"[/FlateDecode]")
                || skip_ws(f).starts_with(b"[ /FlateDecode ]") =>
        {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(raw)
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut out)
                .ok()?;
            (out.len() as u64 <= MAX_RECORD_BYTES).then_some(out)
        }
        Some(_) => None,
    }
}

/// Text of object `id` between `obj` and `endobj` (not for streams with binary data).
pub(crate) fn object_text(pdf: &[u8], id: Reference) -> Option<&[u8]> {
    let start = object_start(pdf, id)?;
    let rest = pdf.get(start..)?;
    rest.get(..find(rest, b"endobj")?)
}

/// Offset just after the last `num gen obj` header that starts a line or follows whitespace.
pub(crate) fn object_start(pdf: &[u8], (num, generation): Reference) -> Option<usize> {
    let header = format!("{num} {generation} obj");
    let mut end = pdf.len();
    while let Some(at) = rfind(pdf.get(..end)?, header.as_bytes()) {
        let boundary = at == 0 || pdf.get(at - 1).is_some_and(|b| b.is_ascii_whitespace());
        if boundary {
            return Some(at + header.len());
        }
        end = at;
    }
    None
}

/// The reference after dictionary key `key` (e.g. `/F 12 0 R`), ignoring longer keys that
/// merely start with it (`/Filter`).
pub(crate) fn key_reference(dict: &[u8], key: &[u8]) -> Option<Reference> {
    let mut from = 0;
    while let Some(at) = find(dict.get(from..)?, key) {
        let after = from + at + key.len();
        let next = dict.get(after).copied().unwrap_or(b' ');
        // `/F` must not match `/Filter`: the key ends at a delimiter, whitespace or digit.
        if (!next.is_ascii_alphanumeric() || next.is_ascii_digit())
            && let Some((reference, _)) = parse_reference(dict.get(after..)?)
        {
            return Some(reference);
        }
        from = after;
    }
    None
}

/// Parses `num gen R` at the start of `text` (after whitespace).
pub(crate) fn parse_reference(text: &[u8]) -> Option<(Reference, usize)> {
    let (num, rest) = parse_uint(skip_ws(text))?;
    let (generation, rest) = parse_uint(skip_ws(rest))?;
    let rest = skip_ws(rest);
    if rest.first() != Some(&b'R') {
        return None;
    }
    let consumed = text.len() - rest.len() + 1;
    Some((
        (u32::try_from(num).ok()?, u16::try_from(generation).ok()?),
        consumed,
    ))
}

/// Parses an unsigned decimal at the start of `text`.
pub(crate) fn parse_uint(text: &[u8]) -> Option<(u64, &[u8])> {
    let text = skip_ws(text);
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let value = std::str::from_utf8(text.get(..digits)?)
        .ok()?
        .parse()
        .ok()?;
    Some((value, text.get(digits..)?))
}

pub(crate) fn skip_ws(text: &[u8]) -> &[u8] {
    text.trim_ascii_start()
}

// memchr's SIMD search: the byte-window scan was a quarter of `ceu verify`'s time.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The last occurrence; a forward SIMD scan beats memchr's (scalar) reverse search here.
pub(crate) fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(haystack, needle).last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf_with(stream_dict: &str, data: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend_from_slice(
            b"5 0 obj\n<</Type/Filespec/F(certificate-record.json)/EF<</F 7 0 R/UF 7 0 R>>>>\nendobj\n",
        );
        pdf.extend_from_slice(format!("7 0 obj\n<<{stream_dict}>>\nstream\n").as_bytes());
        pdf.extend_from_slice(data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        pdf.extend_from_slice(
            b"9 0 obj\n<</Type/Catalog/Names<</EmbeddedFiles<</Names[(certificate-record.json)5 0 R]>>>>>>\nendobj\n",
        );
        pdf
    }

    #[test]
    fn plain_stream() {
        let data = b"{\"a\":1}\nendobj stream";
        let pdf = pdf_with(&format!("/Length {}/Type/EmbeddedFile", data.len()), data);
        assert_eq!(extract_attachment(&pdf).as_deref(), Some(&data[..]));
    }

    #[test]
    fn flate_stream() {
        use std::io::Write;
        let data = b"{\"payload\":\"aGVsbG8gaGVsbG8gaGVsbG8gaGVsbG8=\"}".repeat(20);
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&data).expect("in memory");
        let z = enc.finish().expect("in memory");
        let pdf = pdf_with(&format!("/Length {}/Filter/FlateDecode", z.len()), &z);
        assert_eq!(extract_attachment(&pdf), Some(data));
    }

    #[test]
    fn absent_or_broken() {
        assert_eq!(extract_attachment(b""), None);
        assert_eq!(
            extract_attachment(b"%PDF-1.7\n(certificate-record.json) 5 0 R"),
            None
        );
        let pdf = pdf_with("/Length 99999", b"short");
        assert_eq!(extract_attachment(&pdf), None);
    }
}
