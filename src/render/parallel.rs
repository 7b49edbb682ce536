//! Rendering on plain OS threads, never rayon workers (see [`run_parallel`]).

/// Stack size of the threads [`run_parallel`] starts; Typst recurses deeply on odd input.
const RENDER_THREAD_STACK: usize = 16 * 1024 * 1024;

/// Runs `job(0)`, …, `job(count - 1)` on `threads` plain OS threads and returns the results
/// in index order.
///
/// Use this (not a rayon pool) to render in parallel. Typst hands internal work to rayon and,
/// while waiting for it, lets the waiting rayon worker run *other* queued jobs: when
/// certificates are themselves rayon jobs, a worker ends up rendering certificates nested
/// inside each other until its stack overflows (measured: release build, 1,000 certificates
/// on a 2-thread pool). On plain threads Typst's internal jobs go to the global rayon pool,
/// whose workers then never hold a certificate.
pub fn run_parallel<T, F>(threads: usize, count: usize, job: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                break;
            }
            let value = job(index);
            if let Ok(mut slots) = results.lock() {
                slots[index] = Some(value);
            }
        }
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = (1..threads.max(1))
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(RENDER_THREAD_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // The calling thread works too, so a failed spawn only costs parallelism.
        work();
        for handle in spawned {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}
