//! Rendering on every core while committing finished certificates in job order, a batch at
//! a time (one file-system flush and one ledger append per batch).

use super::error::IssueError;
use super::options::BATCH;
use super::plan::Job;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Jobs finished by the rendering threads and not yet committed.
struct Finished<T> {
    /// Written but not yet committed, by job index.
    done: BTreeMap<usize, T>,
    /// The first job index not yet committed.
    next: usize,
    /// The first failing job and its error.
    error: Option<(usize, IssueError)>,
}

impl<T> Finished<T> {
    /// Records job `index`'s result; returns whether it failed.
    fn record(&mut self, index: usize, result: Result<T, IssueError>) -> bool {
        match result {
            Ok(written) => {
                self.done.insert(index, written);
                false
            }
            Err(error) => {
                if self.error.as_ref().is_none_or(|(at, _)| index < *at) {
                    self.error = Some((index, error));
                }
                true
            }
        }
    }

    /// Takes the next run of consecutive finished jobs before the first failure (of `total`):
    /// a full [`BATCH`], or with `all` whatever is ready. `None` when there is nothing to take.
    fn take_batch(&mut self, total: usize, all: bool) -> Option<Vec<T>> {
        let limit = self.error.as_ref().map_or(total, |(at, _)| *at);
        let mut end = self.next;
        while end < limit && end - self.next < BATCH && self.done.contains_key(&end) {
            end += 1;
        }
        let ready = end - self.next;
        if ready == 0 || (!all && ready < BATCH) {
            return None;
        }
        let from = self.next;
        self.next = end;
        Some((from..end).filter_map(|i| self.done.remove(&i)).collect())
    }
}

/// Renders `jobs` on `threads` plain threads (not a rayon pool: see `render::run_parallel`)
/// and hands the finished ones to `commit` in job order, up to [`BATCH`] at a time, while the
/// rendering goes on: the thread that completes a run of [`BATCH`] consecutive jobs commits it
/// (one file-system flush and one ledger append for the group) and the other threads keep
/// rendering, so no core waits at a batch boundary. What is committed, and in which order,
/// does not depend on the thread count or timing.
///
/// On the first error no new job starts; the jobs before it are committed, then the error is
/// returned. Certificates written after it are not in the ledger and are redone by a re-run.
pub(super) fn pipeline<T, R, C>(
    jobs: &[Job],
    threads: usize,
    progress: &indicatif::ProgressBar,
    render: R,
    commit: C,
) -> Result<(), IssueError>
where
    T: Send,
    R: Fn(&Job) -> Result<T, IssueError> + Sync,
    C: FnMut(Vec<T>) -> Result<(), IssueError> + Send,
{
    let finished = Mutex::new(Finished::<T> {
        done: BTreeMap::new(),
        next: 0,
        error: None,
    });
    let committer = Mutex::new(commit);
    let next_job = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let fault = crate::fault::abort_after_pdf();
    let written_count = AtomicUsize::new(0);

    let try_commit = |all: bool| commit_ready(&finished, &committer, &stop, jobs.len(), all);

    let work = || {
        while !stop.load(Ordering::SeqCst) {
            let index = next_job.fetch_add(1, Ordering::SeqCst);
            if index >= jobs.len() {
                break;
            }
            let result = render(&jobs[index]);
            progress.inc(1);
            if let Some(limit) = fault
                && written_count.fetch_add(1, Ordering::SeqCst) + 1 == limit
            {
                // A crash, not an error: no destructor, no ledger append, no cleanup.
                std::process::abort();
            }
            if let Ok(mut state) = finished.lock()
                && state.record(index, result)
            {
                stop.store(true, Ordering::SeqCst);
            }
            try_commit(false);
        }
    };
    crate::render::run_parallel(threads, threads, |_| work());
    try_commit(true);

    let state = finished
        .into_inner()
        .map_err(|_| IssueError::Other("a rendering thread panicked".into()))?;
    match state.error {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

/// Commits runs of consecutive finished jobs (of `total`): full batches, or whatever is ready
/// when `all` (the end). Only one thread commits at a time (the others, finding `committer`
/// locked, go back to rendering); a failed commit stops the run and is kept as its error.
fn commit_ready<T, C>(
    finished: &Mutex<Finished<T>>,
    committer: &Mutex<C>,
    stop: &AtomicBool,
    total: usize,
    all: bool,
) where
    C: FnMut(Vec<T>) -> Result<(), IssueError>,
{
    let Ok(mut commit) = (if all {
        committer.lock().map_err(|_| ())
    } else {
        committer.try_lock().map_err(|_| ())
    }) else {
        return;
    };
    loop {
        let Some(batch) = finished
            .lock()
            .ok()
            .and_then(|mut state| state.take_batch(total, all))
        else {
            return;
        };
        if let Err(error) = commit(batch) {
            stop.store(true, Ordering::SeqCst);
            if let Ok(mut state) = finished.lock() {
                let at = state.next;
                state.error.get_or_insert((at, error));
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Issued;
    use crate::ledger::{EntryBody, IssueFields};
    use std::path::PathBuf;

    fn job(index: usize) -> Job {
        Job::first(index)
    }

    fn written(index: usize) -> (EntryBody, Issued) {
        let fields = IssueFields {
            cert_id: format!("C{index}"),
            revision: 1,
            offering_id: "O".into(),
            attendee_id: format!("A{index}"),
            record_sha256: String::new(),
            pdf_sha256: String::new(),
            pdf_file: String::new(),
            verification_code: String::new(),
            supersedes: None,
            inputs: Default::default(),
            content_sha256: None,
        };
        let issued = Issued {
            attendee_id: fields.attendee_id.clone(),
            full_cert_id: fields.cert_id.clone(),
            file: PathBuf::new(),
            pdf_sha256: String::new(),
            supersedes: None,
        };
        (EntryBody::Issue(fields), issued)
    }

    /// Runs the pipeline over `count` jobs on 3 threads (uneven render times), failing at
    /// `fail_at`; returns the committed attendee ids in commit order, the batch sizes and the
    /// result.
    fn run_pipeline(
        count: usize,
        fail_at: Option<usize>,
    ) -> (Vec<String>, Vec<usize>, Result<(), IssueError>) {
        let jobs: Vec<Job> = (0..count).map(job).collect();
        let mut committed = Vec::new();
        let mut sizes = Vec::new();
        let result = pipeline(
            &jobs,
            3,
            &indicatif::ProgressBar::hidden(),
            |job| {
                if job.index() % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                if Some(job.index()) == fail_at {
                    return Err(IssueError::Other(format!("job {} failed", job.index())));
                }
                Ok(written(job.index()))
            },
            |batch| {
                sizes.push(batch.len());
                committed.extend(batch.into_iter().map(|(_, issued)| issued.attendee_id));
                Ok(())
            },
        );
        (committed, sizes, result)
    }

    #[test]
    fn pipeline_commits_every_job_in_order_in_groups_of_at_most_a_batch() {
        let (committed, sizes, result) = run_pipeline(1300, None);
        assert!(result.is_ok());
        let expected: Vec<String> = (0..1300).map(|i| format!("A{i}")).collect();
        assert_eq!(committed, expected);
        assert!(sizes.iter().all(|&n| n > 0 && n <= BATCH), "{sizes:?}");
        assert_eq!(sizes[..2], [BATCH, BATCH]);
    }

    #[test]
    fn pipeline_commits_what_precedes_a_failure_and_returns_the_error() {
        let (committed, _, result) = run_pipeline(1300, Some(700));
        let expected: Vec<String> = (0..700).map(|i| format!("A{i}")).collect();
        assert_eq!(committed, expected);
        assert!(matches!(result, Err(IssueError::Other(m)) if m == "job 700 failed"));
    }
}
