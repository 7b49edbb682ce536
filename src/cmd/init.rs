//! `ceu init`: scaffold a new offering folder (course record, roster header, attendance
//! folder) that `ceu check` then walks the administrator through completing.

use crate::cli::InitArgs;
use crate::exit::Exit;
use anyhow::{Context as _, bail};

/// The commented course-record skeleton.
pub const COURSE_TEMPLATE: &str = include_str!("../../templates/offering/course.toml");

/// The roster's header row (docs/attendance.md).
pub const ROSTER_HEADER: &str = "attendee_id,first_name,last_name,email,phone,street,city,region,postal_code,country,profession,credential,license_number,license_state,asha_account,credit,assessment_completed\n";

/// A sign-in sheet's header row.
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
    for (path, text) in [
        (dir.join("course.toml"), COURSE_TEMPLATE),
        (dir.join("roster.csv"), ROSTER_HEADER),
        (attendance.join("day1.csv"), SHEET_HEADER),
    ] {
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    println!("Created {}:", dir.display());
    println!(
        "  course.toml        the course record: replace every \"...\" (docs/course-record.md)"
    );
    println!(
        "  roster.csv         paste the registration export under the header (docs/attendance.md)"
    );
    println!("  attendance/        sign-in sheets, Zoom or Teams reports");
    println!("Then run: ceu check {}", dir.display());
    Ok(Exit::Ok)
}
