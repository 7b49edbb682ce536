//! `ceu packet`: the audit packet, one PDF/A-3b with the offering, every attendee's outcome,
//! the findings, the input hashes, this offering's ledger entries and the retention period, the
//! check report attached as `check-report.json` (docs/packet.md). Exit 0 when written (the
//! findings are in the packet, whatever they are); 2 when the input is unusable or the PDF
//! cannot be rendered or written.

use crate::cli::PacketArgs;
use crate::document::{Attachment, packet};
use crate::exit::Exit;
use anyhow::Context as _;
use std::path::Path;

pub fn run(args: &PacketArgs) -> anyhow::Result<Exit> {
    let mut offering = crate::offering::load(&args.offering)?;
    let as_of = args.as_of.date();
    let super::Evaluation {
        report, provider, ..
    } = super::evaluate(&mut offering, as_of, None)?;
    // Exactly what `ceu check --format json` prints for the same --as-of.
    let check_json = format!("{}\n", serde_json::to_string_pretty(&report)?);
    let ledger_path = match args.ledger.path() {
        Some(path) => path.to_path_buf(),
        None => crate::paths::ledger(
            &crate::paths::root_of_offering(&args.offering).with_context(|| {
                format!("{}: cannot resolve the folder", args.offering.display())
            })?,
        ),
    };
    let entries = if ledger_path.is_file() {
        crate::ledger::read(&ledger_path)?
    } else {
        crate::note!(
            "note: no ledger at {}: the packet lists no ledger entries (give --ledger FILE)",
            ledger_path.display()
        );
        Vec::new()
    };
    let shown_ledger = ledger_path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let data = packet::packet_data(&offering, &report, &entries, &shown_ledger, as_of);
    let renderer = provider.document_renderer("packet", "packet", packet::TEMPLATE)?;
    let attachment = Attachment {
        name: packet::REPORT_ATTACHMENT.into(),
        description: "The check report (ceu check --format json)".into(),
        mime: "application/json".into(),
        bytes: check_json.into_bytes(),
    };
    let timestamp = as_of
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    let id = format!("packet-{}-{as_of}", offering.id());
    let pdf = renderer.render(&data, &[attachment], &id, timestamp)?;
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| args.offering.join(packet::FILE));
    write(&target, &pdf)?;
    crate::outln!("audit packet:        {}", target.display());
    Ok(Exit::Ok)
}

/// Writes the packet atomically (temporary file and rename, owner-only: it names people).
fn write(target: &Path, pdf: &[u8]) -> anyhow::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("{}: cannot write", dir.display()))?;
    std::io::Write::write_all(&mut temp, pdf)
        .with_context(|| format!("{}: cannot write", target.display()))?;
    temp.persist(target)
        .with_context(|| format!("{}: cannot write", target.display()))?;
    Ok(())
}
