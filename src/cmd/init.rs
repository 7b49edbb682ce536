//! `ceu init`: scaffold a new offering folder (course record, roster header, attendance
//! folder) that `ceu check` then walks the administrator through completing.

use crate::cli::InitArgs;
use crate::exit::Exit;
use anyhow::{Context as _, bail};

/// The commented course-record skeleton.
pub const COURSE_TEMPLATE: &str = include_str!("../../templates/offering/course.toml");

/// The roster's header row (docs/attendance.md).
pub const ROSTER_HEADER: &str = "attendee_id,first_name,last_name,email,phone,street,city,region,postal_code,country,profession,credential,license_number,license_state,asha_account,credit,assessment_completed\n";

/// A sign-in sheet's header row (printed: a header-only sheet in attendance/ would be read as
/// an empty attendance file).
pub const SHEET_HEADER: &str = "First Name,Last Name,Email,Date,Sign In,Sign Out\n";

pub fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let dir = &args.offering;
    if dir.exists() {
        bail!(
            "{}: already exists; give a new folder name (ceu init never overwrites)",
            dir.display()
        );
    }
    let attendance = dir.join("attendance");
    std::fs::create_dir_all(&attendance)
        .with_context(|| format!("{}: cannot create", attendance.display()))?;
    let course = course_record(dir);
    for (path, text) in [
        (dir.join("course.toml"), course.as_str()),
        (dir.join("roster.csv"), ROSTER_HEADER),
    ] {
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    crate::outln!("Created {}:", dir.display());
    crate::outln!(
        "  course.toml        the course record: replace every placeholder (\"...\", \"City, Region, Country\", \"ABCD\", \"0000\", 2025-01-01; docs/course-record.md)"
    );
    crate::outln!(
        "  roster.csv         paste the registration export under the header (docs/attendance.md)"
    );
    crate::outln!(
        "  attendance/        sign-in sheets, Zoom or Teams reports, after class; a typed"
    );
    crate::outln!(
        "                     sign-in sheet starts with the header {}",
        SHEET_HEADER.trim_end()
    );
    crate::outln!("Then run: ceu check {}", dir.display());
    Ok(Exit::Ok)
}

/// The template with what `init` can fill in: the offering id, from the folder's name (the
/// documented convention, e.g. `SER2-2025-03-CAL`). A folder name that is not plain text keeps
/// the placeholder, which `check` then reports.
pub fn course_record(dir: &std::path::Path) -> String {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.trim().is_empty());
    match name {
        Some(name) => {
            let quoted = toml::Value::String(name.to_string()).to_string();
            COURSE_TEMPLATE.replacen(
                &format!("\"{}\"", crate::placeholders::OFFERING_ID),
                &quoted,
                1,
            )
        }
        None => COURSE_TEMPLATE.to_string(),
    }
}
