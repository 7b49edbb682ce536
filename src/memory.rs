//! Handing freed memory back to the operating system between phases.
//!
//! Loading an offering of 100,000 attendees allocates and frees hundreds of megabytes of
//! short-lived rows and strings between the long-lived roster and report. glibc's allocator
//! keeps the freed pages mapped (they sit between live allocations, so the heap cannot
//! shrink from the top), and the rendering phase would then run on top of that high-water
//! mark. `malloc_trim` releases every free page, wherever it is in the heap.

/// Returns the allocator's free pages to the system. A no-op where the allocator is not
/// glibc's.
#[allow(unsafe_code)]
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only works on the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
