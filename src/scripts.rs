//! Complex scripts and the bundled fonts' shaping: a script such as Devanagari or Arabic is
//! only drawn right when the font that has its letters also has the script's shaping rules
//! (conjuncts, reph, joining forms) in its OpenType GSUB table. A fallback face that has the
//! glyphs but not the rules prints `प्र` as `प` + virama + `र`. This module finds the
//! printed characters of a complex script that no covering font can shape, so the attendee is
//! held back with `RENDER-GLYPHS` (issue::glyph_findings) instead of being issued a broken name.
//!
//! The Unicode Script property comes from `unicode-script`; GSUB script tags are read with
//! `ttf-parser` (the version Typst uses).

use std::collections::HashMap;
use ttf_parser::Tag;
use typst::text::Font;
use unicode_script::{Script, UnicodeScript};

/// The GSUB features that do the shaping of Indic and other Brahmic scripts (reph, half forms,
/// below-base and post-base forms, conjuncts, presentation forms): a font whose script entry
/// has none of them only draws the letters one by one.
const BRAHMIC: &[&[u8; 4]] = &[
    b"rphf", b"half", b"blwf", b"pstf", b"pref", b"pres", b"akhn", b"abvs", b"blws", b"psts",
    b"cjct", b"abvf",
];

/// The GSUB features of joining scripts (Arabic and its kin): positional forms and required
/// ligatures.
const JOINING: &[&[u8; 4]] = &[b"init", b"medi", b"fina", b"isol", b"rlig"];

/// A script that cannot be printed letter by letter: the OpenType script tags under which a
/// font's GSUB table holds its rules (the newer Indic `*2` tag first), and the features at
/// least one of which must be there for the script to be shaped.
struct Complex {
    script: Script,
    tags: &'static [&'static [u8; 4]],
    features: &'static [&'static [u8; 4]],
}

const fn complex(
    script: Script,
    tags: &'static [&'static [u8; 4]],
    features: &'static [&'static [u8; 4]],
) -> Complex {
    Complex {
        script,
        tags,
        features,
    }
}

/// The complex scripts (Unicode Script property) ceu checks.
const COMPLEX: &[Complex] = &[
    complex(Script::Devanagari, &[b"dev2", b"deva"], BRAHMIC),
    complex(Script::Bengali, &[b"bng2", b"beng"], BRAHMIC),
    complex(Script::Gurmukhi, &[b"gur2", b"guru"], BRAHMIC),
    complex(Script::Gujarati, &[b"gjr2", b"gujr"], BRAHMIC),
    complex(Script::Oriya, &[b"ory2", b"orya"], BRAHMIC),
    complex(Script::Tamil, &[b"tml2", b"taml"], BRAHMIC),
    complex(Script::Telugu, &[b"tel2", b"telu"], BRAHMIC),
    complex(Script::Kannada, &[b"knd2", b"knda"], BRAHMIC),
    complex(Script::Malayalam, &[b"mlm2", b"mlym"], BRAHMIC),
    complex(Script::Sinhala, &[b"sinh"], BRAHMIC),
    complex(Script::Myanmar, &[b"mym2", b"mymr"], BRAHMIC),
    complex(Script::Khmer, &[b"khmr"], BRAHMIC),
    complex(Script::Tibetan, &[b"tibt"], BRAHMIC),
    complex(Script::Javanese, &[b"java"], BRAHMIC),
    complex(Script::Balinese, &[b"bali"], BRAHMIC),
    complex(Script::Arabic, &[b"arab"], JOINING),
    complex(Script::Syriac, &[b"syrc"], JOINING),
    complex(Script::Nko, &[b"nko "], JOINING),
    complex(Script::Mongolian, &[b"mong"], JOINING),
];

/// A complex script that the fonts covering its letters cannot shape, with the first printed
/// character of it (for the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unshaped {
    pub script: Script,
    pub example: char,
}

/// Answers, for each complex script met, whether a font that covers a character of it lists the
/// script in its GSUB table. Build one per run: the answers are kept per (script, covering
/// fonts) so a long roster is not re-checked font by font.
pub struct ShapingCheck<'a> {
    fonts: &'a [Font],
    known: HashMap<(Script, Vec<usize>), bool>,
}

impl<'a> ShapingCheck<'a> {
    pub fn new(fonts: &'a [Font]) -> Self {
        ShapingCheck {
            fonts,
            known: HashMap::new(),
        }
    }

    /// The complex scripts in `strings` that no covering font can shape, each once, in order
    /// of first appearance. Characters no font covers at all are left to the glyph check.
    pub fn unshaped<'s>(&mut self, strings: impl IntoIterator<Item = &'s str>) -> Vec<Unshaped> {
        let mut found: Vec<Unshaped> = Vec::new();
        for text in strings {
            if text.is_ascii() {
                continue;
            }
            for c in text.chars().filter(|c| !c.is_ascii()) {
                let script = c.script();
                let Some(complex) = COMPLEX.iter().find(|c| c.script == script) else {
                    continue;
                };
                if found.iter().any(|u| u.script == script) {
                    continue;
                }
                let covering: Vec<usize> = (0..self.fonts.len())
                    .filter(|&i| self.fonts[i].info().coverage.contains(u32::from(c)))
                    .collect();
                if covering.is_empty() {
                    continue;
                }
                let fonts = self.fonts;
                let shaped = *self
                    .known
                    .entry((script, covering.clone()))
                    .or_insert_with(|| covering.iter().any(|&i| shapes(&fonts[i], complex)));
                if !shaped {
                    found.push(Unshaped { script, example: c });
                }
            }
        }
        found
    }
}

/// Whether `font`'s GSUB table lists the script under one of its tags with at least one of the
/// script's shaping features (a math font may list `dev2` with nothing but stylistic sets).
fn shapes(font: &Font, complex: &Complex) -> bool {
    let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else {
        return false;
    };
    let Some(gsub) = face.tables().gsub else {
        return false;
    };
    let wanted: Vec<Tag> = complex
        .features
        .iter()
        .map(|t| Tag::from_bytes(t))
        .collect();
    complex.tags.iter().any(|tag| {
        let Some(script) = gsub.scripts.find(Tag::from_bytes(tag)) else {
            return false;
        };
        script
            .default_language
            .into_iter()
            .chain(script.languages)
            .flat_map(|language| language.feature_indices)
            .filter_map(|index| gsub.features.get(index))
            .any(|feature| wanted.contains(&feature.tag))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::foundations::Bytes;

    fn bundled() -> Vec<Font> {
        typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect()
    }

    #[test]
    fn devanagari_is_unshaped_and_arabic_latin_greek_are_not() {
        let fonts = bundled();
        let mut check = ShapingCheck::new(&fonts);
        // Only New Computer Modern Math draws Devanagari, and its `dev2` entry has stylistic
        // sets only; DejaVu Sans Mono has Arabic's positional forms.
        assert_eq!(
            check.unshaped(["प्रिया शर्मा", "Άννα", "Renée", "فاطمة"]),
            vec![Unshaped {
                script: Script::Devanagari,
                example: 'प'
            }]
        );
        assert!(check.unshaped(["Ana Lee", "Анна", "فاطمة حداد"]).is_empty());
    }
}
