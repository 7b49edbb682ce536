//! Provider assets: what a provider adds to rendering without forking ceu, found in the records
//! root (the folder holding the offering folders and the ledger). See docs/provider-assets.md.
//!
//! - `<root>/fonts/`: `.ttf`, `.otf` and `.ttc` files, added after the bundled fonts (names in
//!   scripts the bundled fonts do not cover: Devanagari, CJK, ...).
//! - `<root>/provider/`: `certificate.typ` (and `notice.typ`, `disclosure-slide.typ`,
//!   `disclosure-handout.typ`, `packet.typ` for the other documents), `logo.png` or
//!   `logo.svg`, `signature-1.png` (the administrator who signs for the provider,
//!   `[provider.signatory]`) and `signature-2.png` (the second signatory, usually the instructor,
//!   `[provider.second_signatory]`; NCBTMB asks organizations for both, compliance.md §4).
//!
//! Every asset is read once, with its SHA-256, so a renderer can bind exactly the bytes it
//! drew with into the signed certificate record ([`Asset::role`], [`Asset::file`]), and offline
//! verification can find and check them again.

use crate::findings::Location;
use crate::input::InputError;
use std::path::{Path, PathBuf};
use typst::foundations::Bytes;
use typst::text::Font;

/// The provider-fonts folder's name in the records root.
pub const FONTS_DIR: &str = "fonts";
/// The provider folder's name in the records root.
pub const PROVIDER_DIR: &str = "provider";
/// The documents a provider template can replace (`provider/<name>.typ`).
pub const DOCUMENTS: &[&str] = &[
    "certificate",
    "notice",
    "disclosure-slide",
    "disclosure-handout",
    "packet",
];
/// Font file extensions read from `fonts/` (lower case).
const FONT_EXTENSIONS: &[&str] = &["ttf", "otf", "ttc"];

/// One file a page is rendered from, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// What it is on the page, as the certificate record names it: `font:<file name>`, `logo`,
    /// `signature-1`, `signature-2`, `signature-image` (a signature named in course.toml),
    /// `template:<document>`.
    pub role: String,
    /// Where it lies, relative to the records root, `/`-separated (`fonts/x.ttf`).
    pub file: String,
    /// The file's bytes (shared: cloning an asset does not copy a 20 MB font).
    pub bytes: Bytes,
    /// SHA-256 of `bytes`.
    pub sha256: [u8; 32],
}

impl Asset {
    /// An asset from bytes already read.
    pub fn new(role: impl Into<String>, file: impl Into<String>, bytes: Vec<u8>) -> Asset {
        let sha256 = crate::sign::sha256(&bytes);
        Asset {
            role: role.into(),
            file: file.into(),
            bytes: Bytes::new(bytes),
            sha256,
        }
    }

    /// Lower-case hex SHA-256.
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }

    /// For a logo: `svg` or `png`, from its file name.
    pub fn image_format(&self) -> &'static str {
        if self.file.to_ascii_lowercase().ends_with(".svg") {
            "svg"
        } else {
            "png"
        }
    }
}

/// What a records root provides besides the bundled template and fonts. Empty when the
/// folders are absent.
#[derive(Debug, Clone, Default)]
pub struct ProviderAssets {
    /// Font files of `fonts/`, in file-name order.
    pub fonts: Vec<Asset>,
    /// Provider templates (`provider/<document>.typ`), role `template:<document>`.
    pub templates: Vec<Asset>,
    /// `provider/logo.png` or `provider/logo.svg`.
    pub logo: Option<Asset>,
    /// `provider/signature-1.png` and `provider/signature-2.png`.
    pub signatures: [Option<Asset>; 2],
}

impl ProviderAssets {
    /// Reads `<root>/fonts/` and `<root>/provider/`.
    ///
    /// # Errors
    /// A file that cannot be read; a font file no font can be read from; a template that is
    /// not UTF-8; both `logo.png` and `logo.svg`; a file in `provider/` ceu does not know
    /// (a misspelled name would otherwise be ignored silently).
    pub fn load(root: &Path) -> Result<ProviderAssets, InputError> {
        let mut assets = ProviderAssets {
            fonts: load_fonts(root)?,
            ..ProviderAssets::default()
        };
        let dir = root.join(PROVIDER_DIR);
        for (name, path) in files_in(&dir)? {
            let read = || std::fs::read(&path).map_err(|e| InputError::io(&path, e));
            let file = format!("{PROVIDER_DIR}/{name}");
            if let Some(document) = name.strip_suffix(".typ")
                && DOCUMENTS.contains(&document)
            {
                let bytes = read()?;
                if std::str::from_utf8(&bytes).is_err() {
                    return Err(unusable(
                        &path,
                        "the template is not UTF-8 text",
                        "save it again as UTF-8 (Typst reads only UTF-8)",
                    ));
                }
                assets
                    .templates
                    .push(Asset::new(format!("template:{document}"), file, bytes));
            } else if name == "logo.png" || name == "logo.svg" {
                if let Some(other) = &assets.logo {
                    return Err(unusable(
                        &path,
                        format!("{} is there too", other.file),
                        "keep one logo: logo.png or logo.svg",
                    ));
                }
                assets.logo = Some(Asset::new("logo", file, read()?));
            } else if let Some(slot) = ["signature-1.png", "signature-2.png"]
                .iter()
                .position(|s| *s == name)
            {
                assets.signatures[slot] =
                    Some(Asset::new(format!("signature-{}", slot + 1), file, read()?));
            } else {
                return Err(unusable(
                    &path,
                    "ceu does not know this file",
                    "the provider folder holds certificate.typ, notice.typ, disclosure-slide.typ, disclosure-handout.typ, packet.typ, logo.png or logo.svg, signature-1.png and signature-2.png (see docs/provider-assets.md); rename or move the file",
                ));
            }
        }
        Ok(assets)
    }

    /// The provider's template for `document` (`certificate`, `notice`, ...), if any.
    pub fn template(&self, document: &str) -> Option<&Asset> {
        let role = format!("template:{document}");
        self.templates.iter().find(|t| t.role == role)
    }

    /// The provider's template source for `document`, if any (checked UTF-8 by `load`).
    pub fn template_source(&self, document: &str) -> Option<String> {
        self.template(document)
            .map(|t| String::from_utf8_lossy(&t.bytes).into_owned())
    }
}

/// What one page is drawn from besides its data: the provider's template (when it replaces
/// the built-in one), the provider fonts, the logo and up to two signature images. A renderer
/// binds each one's SHA-256 into what it renders ([`PageAssets::bound`]).
#[derive(Debug, Clone, Default)]
pub struct PageAssets {
    /// The provider's template (role `template:<document>`); `None`: the built-in one.
    pub template: Option<Asset>,
    /// Provider fonts, after the bundled ones.
    pub fonts: Vec<Asset>,
    /// The logo (PNG or SVG).
    pub logo: Option<Asset>,
    /// First signatory's and second signatory's signature image (PNG).
    pub signatures: [Option<Asset>; 2],
}

/// One asset as a signed record names it: role, file (relative to the records root; empty
/// when not known) and lower-case hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub role: String,
    pub file: String,
    pub sha256: String,
}

impl PageAssets {
    /// The assets of `document` (`certificate`, `notice`, ...) from the provider folder: its
    /// template, the fonts, the logo and the provider's two signature images.
    pub fn for_document(provider: &ProviderAssets, document: &str) -> PageAssets {
        PageAssets {
            template: provider.template(document).cloned(),
            fonts: provider.fonts.clone(),
            logo: provider.logo.clone(),
            signatures: provider.signatures.clone(),
        }
    }

    /// The certificate's assets for an offering: the provider folder's, with the signatures
    /// decided by the course record. The first signatory (`[provider.signatory]`) signs with
    /// its `signature_image` (relative to the offering folder) when course.toml names one,
    /// else with `provider/signature-1.png`. The second signatory
    /// (`[provider.second_signatory]`, e.g. the instructor) likewise, else with
    /// `provider/signature-2.png`.
    ///
    /// # Errors
    /// A signature image course.toml names that cannot be read; `provider/signature-2.png`
    /// present while the course record names no second signatory (whose signature it would
    /// be is then unknown).
    pub fn certificate(
        provider: &ProviderAssets,
        root: &Path,
        offering_dir: &Path,
        course: &crate::course::Course,
    ) -> Result<PageAssets, InputError> {
        let mut assets = PageAssets::for_document(provider, "certificate");
        let folder = offering_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let own = |signatory: &crate::course::Signatory, role: &str| {
            let Some(relative) = &signatory.signature_image else {
                return Ok(None);
            };
            let path = offering_dir.join(relative);
            let bytes = std::fs::read(&path).map_err(|e| InputError::Io {
                path: path.display().to_string(),
                what: Some("signature image"),
                source: e,
            })?;
            let file = format!("{folder}/{}", relative.display()).replace('\\', "/");
            Ok::<_, InputError>(Some(Asset::new(role, file, bytes)))
        };
        if let Some(first) = own(&course.provider.signatory, "signature-image")? {
            assets.signatures[0] = Some(first);
        }
        match &course.provider.second_signatory {
            Some(second) => {
                if let Some(image) = own(second, "signature-image-2")? {
                    assets.signatures[1] = Some(image);
                }
            }
            None => {
                if let Some(image) = &assets.signatures[1] {
                    return Err(unusable(
                        &root.join(&image.file),
                        "a second signature image, and course.toml names no second signatory",
                        "add the second signatory (usually the instructor) to course.toml as [provider.second_signatory] with name and title, or move signature-2.png out of the provider folder",
                    ));
                }
            }
        }
        Ok(assets)
    }

    /// Every asset as the signed record names it, template first, then fonts, logo and
    /// signatures.
    pub fn bound(&self) -> Vec<Bound> {
        self.template
            .iter()
            .chain(&self.fonts)
            .chain(&self.logo)
            .chain(self.signatures.iter().flatten())
            .map(|a| Bound {
                role: a.role.clone(),
                file: a.file.clone(),
                sha256: a.sha256_hex(),
            })
            .collect()
    }
}

/// The font files of `<root>/fonts/`, each checked to hold at least one font.
fn load_fonts(root: &Path) -> Result<Vec<Asset>, InputError> {
    let mut fonts = Vec::new();
    for (name, path) in files_in(&root.join(FONTS_DIR))? {
        let extension = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if !FONT_EXTENSIONS.contains(&extension.as_str()) {
            continue;
        }
        let asset = Asset::new(
            format!("font:{name}"),
            format!("{FONTS_DIR}/{name}"),
            std::fs::read(&path).map_err(|e| InputError::io(&path, e))?,
        );
        if Font::iter(asset.bytes.clone()).next().is_none() {
            return Err(unusable(
                &path,
                "no font can be read from this file",
                "copy the font file again (a .ttf, .otf or .ttc from the font's publisher or a Debian fonts-noto package), or remove it",
            ));
        }
        fonts.push(asset);
    }
    Ok(fonts)
}

/// The files (not folders, not hidden) of `dir` by name, sorted; none when `dir` is absent.
fn files_in(dir: &Path) -> Result<Vec<(String, PathBuf)>, InputError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(InputError::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| InputError::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        files.push((name, path));
    }
    files.sort();
    Ok(files)
}

fn unusable(path: &Path, message: impl std::fmt::Display, fix: &str) -> InputError {
    InputError::unusable(&Location::file(path), message, fix)
}

/// The fonts a renderer uses: the bundled fonts (typst-assets) first, then every font of
/// `extra` (provider fonts, in their order). Typst falls back along this list, so a provider
/// font only draws what the bundled fonts lack, and the bundled page stays as it was.
pub fn font_list(extra: &[Asset]) -> Vec<Font> {
    typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .chain(
            extra
                .iter()
                .flat_map(|asset| Font::iter(asset.bytes.clone())),
        )
        .collect()
}

/// The number of bundled fonts (typst-assets) at the head of every [`font_list`]: the fonts
/// after them are the provider's.
pub fn bundled_font_count() -> usize {
    typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .count()
}

/// The family names of `provider_fonts` (the fonts after the bundled ones in a
/// [`font_list`]), each once, in order: what a template puts after its own font in its font
/// list (`sys.inputs.fonts`), so that Typst draws a script the bundled fonts lack with the
/// provider font that can shape it, not with a bundled font that merely has its letters
/// (the bundled math font has Devanagari letters but no Devanagari shaping rules).
pub fn font_families(provider_fonts: &[Font]) -> Vec<String> {
    let mut families: Vec<String> = Vec::new();
    for font in provider_fonts {
        let family = &font.info().family;
        if !families.contains(family) {
            families.push(family.clone());
        }
    }
    families
}

/// The `RENDER-GLYPHS` fix for characters of `scripts` (Unicode Script property; Common and
/// Inherited are skipped) that the fonts cannot draw or shape: which font to copy into
/// `<root>/fonts/`, naming the script and a Noto font from Debian's packages that covers it,
/// or a transliteration.
pub fn font_fix(scripts: &[unicode_script::Script], root: &Path) -> String {
    use unicode_script::Script;
    let fonts = root.join(FONTS_DIR);
    let mut advice: Vec<String> = Vec::new();
    for script in scripts {
        let line = match script {
            Script::Common | Script::Inherited | Script::Unknown => continue,
            Script::Han
            | Script::Hiragana
            | Script::Katakana
            | Script::Hangul
            | Script::Bopomofo => {
                format!(
                    "{} (Chinese, Japanese, Korean): Noto Sans CJK (NotoSansCJK-Regular.ttc from Debian's fonts-noto-cjk, in /usr/share/fonts/opentype/noto/)",
                    script.full_name()
                )
            }
            other => {
                let name = other.full_name().replace('_', " ");
                format!(
                    "{name}: Noto Sans {name} (NotoSans{}-Regular.ttf from Debian's fonts-noto-core, in /usr/share/fonts/truetype/noto/)",
                    name.replace(' ', "")
                )
            }
        };
        if !advice.contains(&line) {
            advice.push(line);
        }
    }
    if advice.is_empty() {
        advice.push("a font that covers these characters (a .ttf, .otf or .ttc)".into());
    }
    format!(
        "copy a font that covers the script into {}/ (docs/provider-assets.md) and run again, for {}; or write the name as it should appear in Latin script in the roster (a transliteration)",
        fonts.display(),
        advice.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_folders_give_no_assets() {
        let dir = std::env::temp_dir().join(format!("ceu-provider-none-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let assets = ProviderAssets::load(&dir).unwrap();
        assert!(assets.fonts.is_empty() && assets.templates.is_empty());
        assert!(assets.logo.is_none() && assets.signatures.iter().all(Option::is_none));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn font_fix_names_script_font_and_folder() {
        use unicode_script::Script;
        let fix = font_fix(&[Script::Devanagari, Script::Han], Path::new("records"));
        assert!(fix.contains("Devanagari: Noto Sans Devanagari (NotoSansDevanagari-Regular.ttf from Debian's fonts-noto-core"), "{fix}");
        assert!(
            fix.contains(
                "; Han (Chinese, Japanese, Korean): Noto Sans CJK (NotoSansCJK-Regular.ttc"
            ),
            "{fix}"
        );
        assert!(fix.contains("into records/fonts/ "), "{fix}");
    }

    #[test]
    fn logo_format_follows_the_file_name() {
        assert_eq!(
            Asset::new("logo", "provider/logo.svg", vec![]).image_format(),
            "svg"
        );
        assert_eq!(
            Asset::new("logo", "provider/logo.png", vec![]).image_format(),
            "png"
        );
    }
}
