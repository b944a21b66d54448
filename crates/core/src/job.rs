//! What long work (import, export, index rebuild) shares: the caller's cancel flag, checked
//! between steps, and progress told to the caller after each.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// The flag a caller sets to stop long work, if it gave one.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cancel<'a>(Option<&'a AtomicBool>);

impl<'a> Cancel<'a> {
    pub fn new(flag: Option<&'a AtomicBool>) -> Self {
        Cancel(flag)
    }

    pub fn requested(self) -> bool {
        self.0.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// [`Error::Cancelled`] once requested: for work that keeps nothing when it stops.
    pub fn check(self) -> Result<()> {
        match self.requested() {
            true => Err(Error::Cancelled),
            false => Ok(()),
        }
    }
}

/// Long work under way: its cancel flag and its progress so far, told to the caller.
pub(crate) struct Job<'a, P> {
    pub cancel: Cancel<'a>,
    pub progress: P,
    on_progress: &'a mut dyn FnMut(&P),
}

impl<'a, P> Job<'a, P> {
    /// A job whose start is told at once.
    pub fn start(
        cancel: Option<&'a AtomicBool>,
        progress: P,
        on_progress: &'a mut dyn FnMut(&P),
    ) -> Self {
        on_progress(&progress);
        Job {
            cancel: Cancel::new(cancel),
            progress,
            on_progress,
        }
    }

    /// Tells the caller the progress as it is now.
    pub fn tell(&mut self) {
        (self.on_progress)(&self.progress);
    }
}

/// Progress counted in steps (documents exported, documents indexed) of a known total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Steps {
    pub done: usize,
    pub total: usize,
}

impl Job<'_, Steps> {
    /// One step more, told.
    pub fn step(&mut self) {
        self.progress.done += 1;
        self.tell();
    }
}
