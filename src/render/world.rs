//! The Typst `World` of one certificate: the shared [`Renderer`] plus its virtual files.
//!
//! Nothing here touches the disk. The template may read exactly the fixed paths below; every
//! other path is refused with "access denied". The paths are interned once per process, so a
//! batch of any size uses the same eight file ids.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::{RenderError, Renderer};

/// Path of the template inside the virtual project.
pub const MAIN_PATH: &str = "/certificate.typ";
/// Path of the certificate data (JSON of `CertificateData`).
pub const DATA_PATH: &str = "/data.json";
/// Path of the signed certificate record to attach.
pub const RECORD_PATH: &str = "/certificate-record.json";
/// Path of the QR code (SVG).
pub const QR_PATH: &str = "/qr.svg";
/// Path of the optional signature image (PNG).
pub const SIGNATURE_PATH: &str = "/signature.png";
/// Path of the optional second signatory's signature image (PNG).
pub const SIGNATURE_2_PATH: &str = "/signature-2.png";
/// Paths of the optional logo (PNG or SVG; the template reads `sys.inputs.logo`).
pub const LOGO_PNG_PATH: &str = "/logo.png";
pub const LOGO_SVG_PATH: &str = "/logo.svg";

/// The interned file ids of the fixed virtual paths.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paths {
    pub main: FileId,
    data: FileId,
    record: FileId,
    qr: FileId,
    signature: FileId,
    signature_2: FileId,
    pub logo_png: FileId,
    pub logo_svg: FileId,
}

impl Paths {
    /// Interns the fixed paths (idempotent: the same ids every time).
    pub fn new() -> Result<Paths, RenderError> {
        let intern = |path: &str| {
            VirtualPath::new(path)
                .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
                .map_err(|e| RenderError::Setup(format!("virtual path {path}: {e:?}")))
        };
        Ok(Paths {
            main: intern(MAIN_PATH)?,
            data: intern(DATA_PATH)?,
            record: intern(RECORD_PATH)?,
            qr: intern(QR_PATH)?,
            signature: intern(SIGNATURE_PATH)?,
            signature_2: intern(SIGNATURE_2_PATH)?,
            logo_png: intern(LOGO_PNG_PATH)?,
            logo_svg: intern(LOGO_SVG_PATH)?,
        })
    }
}

/// One certificate's world: borrowed shared state plus this certificate's files.
pub(super) struct CertificateWorld<'a> {
    renderer: &'a Renderer,
    data: Bytes,
    record: Bytes,
    qr: Bytes,
    now: chrono::DateTime<chrono::Utc>,
}

impl<'a> CertificateWorld<'a> {
    /// A world serving `data` as `/data.json`, `record` as `/certificate-record.json` and `qr`
    /// as `/qr.svg`, whose `today` is the date of `now`.
    pub fn new(
        renderer: &'a Renderer,
        data: Bytes,
        record: Bytes,
        qr: Bytes,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        CertificateWorld {
            renderer,
            data,
            record,
            qr,
            now,
        }
    }
}

impl World for CertificateWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.renderer.ids.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.renderer.ids.main {
            Ok(self.renderer.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let ids = &self.renderer.ids;
        if !self.renderer.serve_files && id != ids.main {
            Err(FileError::AccessDenied)
        } else if id == ids.data {
            Ok(self.data.clone())
        } else if id == ids.record {
            Ok(self.record.clone())
        } else if id == ids.qr {
            Ok(self.qr.clone())
        } else if id == ids.signature || id == ids.signature_2 {
            self.renderer.signatures[usize::from(id == ids.signature_2)]
                .clone()
                .ok_or(FileError::AccessDenied)
        } else if let Some((logo, logo_id)) = &self.renderer.logo
            && id == *logo_id
        {
            Ok(logo.clone())
        } else if id == ids.main {
            Ok(self.renderer.main_bytes.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        today(self.now, offset)
    }
}

/// Typst's `datetime.today(offset: ...)` for a render fixed at `now`: the date of `now` shifted
/// by `offset` hours (UTC when none), so pages never depend on the clock. `None` (Typst then
/// reports an error) for an offset that is not finite or exceeds a year.
pub fn today(now: chrono::DateTime<chrono::Utc>, offset: Option<Duration>) -> Option<Datetime> {
    use chrono::Datelike;
    let shifted = match offset {
        None => now,
        Some(offset) => {
            let seconds = offset.seconds();
            if !seconds.is_finite() || seconds.abs() > 86_400.0 * 366.0 {
                return None;
            }
            now.checked_add_signed(chrono::TimeDelta::try_seconds(seconds.round() as i64)?)?
        }
    };
    Datetime::from_ymd(
        shifted.year(),
        u8::try_from(shifted.month()).ok()?,
        u8::try_from(shifted.day()).ok()?,
    )
}
