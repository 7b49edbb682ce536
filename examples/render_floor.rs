//! The rendering floor (issue 5, baseline b): compile and export N certificates of the default
//! template on T threads (`render::run_parallel`), writing each PDF to a temporary directory, with no checks, no signing
//! and no ledger. Prints certificates per second and the per-phase split.
//!
//! Usage: `cargo run --release --example render_floor -- [N=1000] [THREADS=2] [OUT_DIR] [TEMPLATE] [OFFERING]`
//! (without OUT_DIR, or with `-`, a temporary directory is used and removed afterwards;
//! TEMPLATE defaults to the built-in `templates/certificate.typ`, also with `-`).
//!
//! With OFFERING (an offering folder, as `ceu issue` takes), the floor renders exactly the
//! certificates `ceu issue` would print for that offering's completers (cycled when N is
//! larger), each with an attachment the size of a real signed record, all prepared before the
//! clock starts. Without it, the built-in sample with a varying name and id.
#![allow(clippy::too_many_lines)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ceu::render::{CertificateData, DEFAULT_TEMPLATE, Renderer, run_parallel};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let threads: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(2);
    let temp = tempfile::tempdir()?;
    let out: PathBuf = match args.get(2).map(String::as_str) {
        Some(dir) if dir != "-" => PathBuf::from(dir),
        _ => temp.path().into(),
    };
    let template = match args.get(3).filter(|t| *t != "-") {
        Some(path) => std::fs::read_to_string(path)?,
        None => DEFAULT_TEMPLATE.to_owned(),
    };
    std::fs::create_dir_all(&out)?;

    let cold = Instant::now();
    let renderer = Renderer::new(template, None)?;
    let cold = cold.elapsed();

    let issued = chrono::DateTime::parse_from_rfc3339("2025-03-10T17:00:00Z")?.to_utc();
    let inputs: Vec<(CertificateData, String)> = match args.get(4) {
        Some(dir) => offering_data(std::path::Path::new(dir), issued)?,
        None => {
            let base = CertificateData::sample();
            (0..count.min(1000))
                .map(|i| {
                    let mut data = base.clone();
                    data.certificate_id = format!("SER2-2025-03-CAL-{i:08}");
                    data.holder.name = format!("Attendee Number {i}");
                    data.qr = format!("ceu:v1:{}:K7QF-3MZP", data.certificate_id);
                    let record = format!("{{\"certificate_id\":\"{}\"}}", data.certificate_id);
                    (data, record)
                })
                .collect()
        }
    };
    anyhow::ensure!(
        !inputs.is_empty(),
        "the offering has no completers to render"
    );
    let [prepare, compile, export, evict, write] = std::array::from_fn(|_| AtomicU64::new(0));
    let add = |counter: &AtomicU64, d: Duration| {
        counter.fetch_add(
            u64::try_from(d.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    };
    let make = |i: usize| inputs[i % inputs.len()].clone();

    // Throughput: `threads` plain threads (render::run_parallel), as `ceu issue` does.
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let results = run_parallel(threads, count, |i| -> anyhow::Result<()> {
        let (data, record) = make(i);
        let pdf = renderer.render(&data, record.as_bytes(), &data.certificate_id, issued)?;
        std::fs::write(out.join(format!("{}.pdf", data.certificate_id)), &pdf)?;
        Ok(())
    });
    results.into_iter().collect::<anyhow::Result<()>>()?;
    let wall = start.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let peak_rss = peak_rss_kib();

    // Per-phase split: a sequential pass, so that the phases of concurrent certificates do
    // not compete for the cores inside the measured spans. FLOOR_PHASES=0 skips it, so that a
    // timer around the whole process (bench/run) measures the throughput pass alone.
    let profiled = if std::env::var("FLOOR_PHASES").is_ok_and(|v| v == "0") {
        0
    } else {
        count.min(300)
    };
    for i in 0..profiled {
        let (data, record) = make(i);
        let (pdf, times) =
            renderer.render_timed(&data, record.as_bytes(), &data.certificate_id, issued)?;
        let written = Instant::now();
        std::fs::write(out.join(format!("{}.pdf", data.certificate_id)), &pdf)?;
        add(&write, written.elapsed());
        add(&prepare, times.prepare);
        add(&compile, times.compile);
        add(&export, times.export);
        add(&evict, times.evict);
    }

    let per = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64 / 1e6 / profiled as f64;
    println!("certificates: {count}  threads: {threads}");
    println!(
        "cold start:   {:.1} ms (fonts, library, parse, first render)",
        cold.as_secs_f64() * 1e3
    );
    println!("wall:         {:.3} s", wall.as_secs_f64());
    println!("certs/s:      {:.1}", count as f64 / wall.as_secs_f64());
    println!(
        "CPU:          {cpu:.3} s  ({:.1} certs per CPU-second; load-independent)",
        count as f64 / cpu
    );
    println!("peak RSS:     {:.1} MiB", peak_rss as f64 / 1024.0);
    if profiled == 0 {
        return Ok(());
    }
    let total = ["prepare", "compile", "export", "evict", "write"];
    let values = [
        per(&prepare),
        per(&compile),
        per(&export),
        per(&evict),
        per(&write),
    ];
    let sum: f64 = values.iter().sum();
    println!("per certificate, sequential pass of {profiled} (ms):");
    for (name, value) in total.iter().zip(values) {
        let label = match *name {
            "prepare" => "qr + data json",
            "compile" => "compile/layout",
            "export" => "pdf export",
            "evict" => "comemo evict",
            _ => "write file",
        };
        println!("  {label:<15} {value:>7.3}  {:>5.1} %", 100.0 * value / sum);
    }
    println!("  {:<15} {sum:>7.3}", "total");
    Ok(())
}

/// The certificate data `ceu issue` prints for every completer of the offering in `dir`, with
/// the unsigned certificate record as attachment (the signed envelope adds ~150 bytes).
fn offering_data(
    dir: &std::path::Path,
    issued: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<(CertificateData, String)>> {
    let offering = ceu::offering::load(dir)?;
    let as_of = offering.record.course.offering.end_date + chrono::Days::new(10);
    let report = ceu::rules::evaluate(&offering, as_of);
    let course = &offering.record.course;
    let inputs = offering.input_hashes();
    Ok(offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .filter(|(_, outcome)| outcome.issuable())
        .enumerate()
        .map(|(i, (attendee, outcome))| {
            let id = format!("{}-{i:08}", offering.id());
            let data = ceu::certificate::certificate_data(
                course,
                attendee,
                outcome,
                &id,
                1,
                "K7QF-3MZP",
                issued,
            );
            let record = ceu::certificate::CertificateRecord::new(
                data.clone(),
                &issued.to_rfc3339(),
                &"0".repeat(32),
                &"0".repeat(64),
                inputs.clone(),
            );
            let record = serde_json::to_string(&record).unwrap_or_default();
            (data, record)
        })
        .collect())
}

/// Peak resident set size of this process in KiB (Linux `VmHWM`; 0 elsewhere).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// User + system CPU time of this process in seconds (Linux `/proc/self/stat`; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the parenthesised command name; utime and stime are 14 and 15.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(0);
    ticks as f64 / 100.0
}
