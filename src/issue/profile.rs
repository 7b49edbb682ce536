//! Where `issue`'s time goes, phase by phase (`CEU_PROFILE=1`).

/// Where `issue`'s time goes, summed over every certificate and thread (`CEU_PROFILE=1`
/// prints it to standard error). Each phase is timed around the code that does it, so the
/// split holds for any thread count; batch phases (file-system flush, ledger append) are wall
/// time on the committing thread.
#[derive(Debug, Default)]
pub struct Profile {
    nanos: [std::sync::atomic::AtomicU64; Profile::PHASES.len()],
    certificates: std::sync::atomic::AtomicU64,
}

impl Profile {
    const PHASES: [&'static str; 11] = [
        "certificate data + signed record",
        "QR code + data JSON",
        "Typst compile (eval + layout)",
        "PDF export (fonts, compression)",
        "memoization evict",
        "SHA-256 of the PDF",
        "write PDF (temporary file + rename)",
        "ledger entry fields",
        "file-system flush (syncfs, per batch)",
        "ledger append + checkpoint (per batch)",
        "PDF signature (CMS + incremental update)",
    ];

    pub(super) fn add(&self, phase: usize, elapsed: std::time::Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.nanos[phase].fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// Adds one render's phases: QR code and data, compile, PDF export, cache eviction.
    pub(super) fn add_render(&self, times: &crate::render::PhaseTimes) {
        self.add(1, times.prepare);
        self.add(2, times.compile);
        self.add(3, times.export);
        self.add(4, times.evict);
    }

    /// Counts one certificate finished (the divisor of the per-certificate split).
    pub(super) fn count_certificate(&self) {
        self.certificates
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The split as text: milliseconds per certificate and share of the total, per phase.
    pub fn report(&self) -> String {
        use std::sync::atomic::Ordering::Relaxed;
        let count = self.certificates.load(Relaxed).max(1) as f64;
        let values: Vec<f64> = self
            .nanos
            .iter()
            .map(|n| n.load(Relaxed) as f64 / 1e6 / count)
            .collect();
        let total: f64 = values.iter().sum();
        let mut out = format!(
            "per-certificate profile over {} certificate(s), ms per certificate:\n",
            count as u64
        );
        for (name, value) in Self::PHASES.iter().zip(&values) {
            out.push_str(&format!(
                "  {name:<40} {value:>8.3}  {:>5.1} %\n",
                100.0 * value / total.max(f64::MIN_POSITIVE)
            ));
        }
        out.push_str(&format!("  {:<40} {total:>8.3}\n", "total"));
        out
    }
}

/// Times `f` into `phase` of `profile`.
pub(super) fn timed<T>(profile: &Profile, phase: usize, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let value = f();
    profile.add(phase, start.elapsed());
    value
}
