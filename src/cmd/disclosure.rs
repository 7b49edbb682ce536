//! `ceu disclosure`: the speakers' disclosure slide deck (16:9) and handout (letter) for the
//! start of the class (ASHA-DISCLOSE-7), from course.toml alone. Exit 0 when both are written;
//! 1 when the record has an ASHA-DISCLOSE-* error (each printed with its fix; nothing written);
//! 2 when course.toml cannot be read or a PDF cannot be rendered or written.

use crate::cli::DisclosureArgs;
use crate::document::DocumentRenderer;
use crate::document::disclosure::{self, DisclosureData};
use crate::exit::Exit;
use anyhow::Context as _;
use std::path::Path;

pub fn run(args: &DisclosureArgs) -> anyhow::Result<Exit> {
    let path = args.offering.join("course.toml");
    let record = crate::course::load(&path, &path)?;
    let findings: Vec<_> = crate::rules::disclosure_findings(&record)
        .into_iter()
        .filter(|f| f.rule.starts_with("ASHA-DISCLOSE-"))
        .collect();
    let mut shown = String::new();
    for finding in &findings {
        super::check::format_finding(&mut shown, finding, &record);
    }
    eprint!("{shown}");
    let errors = findings.iter().filter(|f| f.is_error()).count();
    if errors > 0 {
        eprintln!(
            "Nothing written: {errors} disclosure error(s) above must be fixed in {} first (learners must see every speaker's own statements).",
            path.display()
        );
        return Ok(Exit::Findings);
    }
    let data = disclosure::disclosure_data(&record.course);
    let out = args.out.clone().unwrap_or_else(|| args.offering.clone());
    std::fs::create_dir_all(&out).with_context(|| format!("{}: cannot create", out.display()))?;
    let made = [
        (
            "disclosure slide",
            "disclosure-slide",
            disclosure::SLIDE_TEMPLATE,
            disclosure::SLIDE_FILE,
        ),
        (
            "disclosure handout",
            "disclosure-handout",
            disclosure::HANDOUT_TEMPLATE,
            disclosure::HANDOUT_FILE,
        ),
    ];
    let provider = super::Provider::of(&args.offering)?;
    for (what, document, template, file) in made {
        let target = out.join(file);
        let renderer = provider.document_renderer(what, document, template)?;
        render_to(&renderer, what, &data, &target)?;
        crate::outln!("{:<20} {}", format!("{what}:"), target.display());
    }
    Ok(Exit::Ok)
}

/// Renders one of the two documents to `target`. The PDF's creation date is the offering's
/// first day (00:00 UTC) and its id names the document and the offering, so the same record
/// gives the same bytes.
fn render_to(
    renderer: &DocumentRenderer,
    what: &str,
    data: &DisclosureData,
    target: &Path,
) -> anyhow::Result<()> {
    let start = data_start(data);
    let id = format!("{}-{}", what.replace(' ', "-"), data.offering.id);
    let pdf = renderer.render(data, &[], &id, start)?;
    std::fs::write(target, pdf).with_context(|| format!("{}: cannot write", target.display()))
}

/// Midnight UTC of the offering's first day, from the printed data's record.
fn data_start(data: &DisclosureData) -> chrono::DateTime<chrono::Utc> {
    data.start_date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}
