//! QR codes as compact SVG: one `<path>` of merged horizontal runs, not a shape per module.
//!
//! Typst parses the SVG of every certificate, so fewer path commands mean less work per
//! certificate; merging each row's dark runs cuts the command count several-fold.

use std::fmt::Write;

use qrcode::{Color, QrCode};

use super::RenderError;

/// Width of the light border around the code, in modules (the QR specification asks for 4).
const QUIET_ZONE: usize = 4;

/// The SVG of a QR code encoding `text` (error correction level M).
pub fn qr_svg(text: &str) -> Result<String, RenderError> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| RenderError::Qr(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;

    let mut svg = String::with_capacity(4096);
    // Writing to a String cannot fail; the results are ignored deliberately.
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d=""##
    );
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(
                    svg,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    svg.push_str(r#""/></svg>"#);
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_path_and_quiet_zone() {
        let svg = qr_svg("ceu:v1:SER2-2025-03-CAL-7K3F9Q2M:K7QF-3MZP").expect("encodes");
        assert_eq!(svg.matches("<path").count(), 1);
        // Version 3 (29 modules) plus a 4-module border on each side.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
    }

    #[test]
    fn too_long_is_an_error() {
        assert!(qr_svg(&"x".repeat(5000)).is_err());
    }
}
