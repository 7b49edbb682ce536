//! The Typst `World` of one document: the shared [`DocumentRenderer`] plus its data, the list
//! of attachments and the attachments themselves, served at fixed virtual paths. Nothing here
//! touches the disk.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::{Attachment, DocumentError, DocumentRenderer};

/// Path of the template inside the virtual project.
const MAIN_PATH: &str = "/document.typ";
/// The document data (JSON).
const DATA_PATH: &str = "data.json";
/// The attachments to embed: `[{path, description, mime}]` (JSON).
const LISTING_PATH: &str = "attachments.json";
/// The optional logo (PNG).
const LOGO_PATH: &str = "logo.png";

/// The interned id of the template's path.
pub(super) fn main_id() -> Result<FileId, DocumentError> {
    VirtualPath::new(MAIN_PATH)
        .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
        .map_err(|e| DocumentError::Setup(format!("virtual path {MAIN_PATH}: {e:?}")))
}

/// One document's world.
pub(super) struct DocumentWorld<'a> {
    pub renderer: &'a DocumentRenderer,
    pub data: Bytes,
    pub listing: Bytes,
    pub attachments: &'a [Attachment],
    pub now: chrono::DateTime<chrono::Utc>,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.renderer.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.renderer.main.id() {
            Ok(self.renderer.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.renderer.main.id() {
            return Ok(Bytes::from_string(self.renderer.main.text().to_owned()));
        }
        if !self.renderer.serve_files {
            return Err(FileError::AccessDenied);
        }
        let path = id.vpath().get_without_slash();
        match path {
            DATA_PATH => Ok(self.data.clone()),
            LISTING_PATH => Ok(self.listing.clone()),
            LOGO_PATH => self.renderer.logo.clone().ok_or(FileError::AccessDenied),
            _ => self
                .attachments
                .iter()
                .find(|a| a.name == path)
                .map(|a| Bytes::new(a.bytes.clone()))
                .ok_or(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        crate::render::today(self.now, offset)
    }
}
