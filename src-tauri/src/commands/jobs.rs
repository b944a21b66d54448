//! Long jobs (import, export): progress streamed over a channel a few times a second, and a
//! cancel command. Each job works on a database connection of its own, so the reader stays
//! responsive while it runs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use parallax_core::Workspace;
use parallax_core::export::{ExportOptions, ExportReport};
use parallax_core::import::{ImportOptions, ImportProgress, ImportReport};
use parallax_core::search::IndexProgress;
use serde::Serialize;
use tauri::ipc::{Channel, IpcResponse};
use tauri::{AppHandle, State};
use ts_rs::TS;

use super::{AppState, blocking};
use crate::error::CommandError;
use crate::session::Session;

/// How often a job reports progress at most.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// Progress of an export: documents written of the total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExportProgress {
    pub done: usize,
    pub total: usize,
}

/// The cancel flags of running jobs, by the id the UI gave the job.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Jobs {
    fn start(&self, id: &str) -> Result<JobGuard<'_>, CommandError> {
        let flag = Arc::new(AtomicBool::new(false));
        let mut jobs = self
            .0
            .lock()
            .map_err(|_| CommandError::Internal("the job table lock was poisoned".into()))?;
        if jobs.contains_key(id) {
            return Err(CommandError::Internal(format!(
                "job {id} is already running"
            )));
        }
        jobs.insert(id.to_string(), Arc::clone(&flag));
        Ok(JobGuard {
            jobs: self,
            id: id.to_string(),
            cancel: flag,
        })
    }

    fn cancel(&self, id: &str) -> bool {
        match self.0.lock() {
            Ok(jobs) => jobs
                .get(id)
                .map(|f| f.store(true, Ordering::Relaxed))
                .is_some(),
            Err(_) => false,
        }
    }
}

/// Removes the job from the table when it ends, however it ends.
struct JobGuard<'a> {
    jobs: &'a Jobs,
    id: String,
    cancel: Arc<AtomicBool>,
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.jobs.0.lock() {
            jobs.remove(&self.id);
        }
    }
}

/// Calls `send` at most every `REPORT_EVERY`, and always for the last step.
fn throttled<T>(mut send: impl FnMut(T)) -> impl FnMut(T, bool) {
    let mut last: Option<Instant> = None;
    move |value, last_step| {
        if last_step || last.is_none_or(|t| t.elapsed() >= REPORT_EVERY) {
            last = Some(Instant::now());
            send(value);
        }
    }
}

/// Runs `work` as job `job` on a blocking thread: registered for cancel while it runs, with
/// its progress sent over `on_progress` (throttled; `work` says which step is the last).
async fn run_job<T, P>(
    state: State<'_, AppState>,
    job: &str,
    on_progress: Channel<P>,
    work: impl FnOnce(&Session, &AtomicBool, &mut dyn FnMut(P, bool)) -> Result<T, CommandError>
    + Send
    + 'static,
) -> Result<T, CommandError>
where
    T: Send + 'static,
    P: IpcResponse + Send + 'static,
{
    let session = state.session()?;
    let guard = state.jobs.start(job)?;
    let cancel = Arc::clone(&guard.cancel);
    let result = blocking(move || {
        let mut report = throttled(|p: P| {
            let _ = on_progress.send(p);
        });
        work(&session, &cancel, &mut report)
    })
    .await;
    drop(guard);
    result
}

/// Imports files and folders into the open workspace.
#[tauri::command]
pub async fn import_paths(
    state: State<'_, AppState>,
    job: String,
    paths: Vec<PathBuf>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, CommandError> {
    run_job(state, &job, on_progress, move |session, cancel, report| {
        let mut ws = Workspace::open(&session.root)?;
        let result = ws.import_paths(&paths, &ImportOptions::default(), Some(cancel), &mut |p| {
            report(p.clone(), p.files_done == p.files_total)
        });
        session.changed();
        Ok(result?)
    })
    .await
}

/// Exports the open workspace to `path` (a file, or a folder for brat and splits) in the
/// format, with the filters and split, that `options` say; atomically.
#[tauri::command]
pub async fn export_dataset(
    state: State<'_, AppState>,
    job: String,
    path: PathBuf,
    options: ExportOptions,
    on_progress: Channel<ExportProgress>,
) -> Result<ExportReport, CommandError> {
    run_job(state, &job, on_progress, move |session, cancel, report| {
        let ws = Workspace::open(&session.root)?;
        Ok(
            ws.export(&options, &path, Some(cancel), &mut |done, total| {
                report(ExportProgress { done, total }, done == total)
            })?,
        )
    })
    .await
}

/// Rebuilds the search index from the database.
#[tauri::command]
pub async fn reindex(
    app: AppHandle,
    state: State<'_, AppState>,
    job: String,
    on_progress: Channel<IndexProgress>,
) -> Result<(), CommandError> {
    run_job(state, &job, on_progress, move |session, cancel, report| {
        session.reindex(&app, cancel, &mut |p| report(p, p.done == p.total))
    })
    .await
}

/// Asks a running job to stop; false when no such job runs.
#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job: String) -> bool {
    state.jobs.cancel(&job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_can_be_cancelled_while_it_runs_and_is_forgotten_when_it_ends() {
        let jobs = Jobs::default();
        let guard = jobs.start("import-1").unwrap();
        assert!(jobs.start("import-1").is_err(), "one id, one job");
        assert!(!guard.cancel.load(Ordering::Relaxed));
        assert!(jobs.cancel("import-1"));
        assert!(guard.cancel.load(Ordering::Relaxed));
        drop(guard);
        assert!(!jobs.cancel("import-1"), "an ended job cannot be cancelled");
        assert!(jobs.start("import-1").is_ok(), "its id is free again");
    }

    #[test]
    fn progress_is_sent_first_last_and_at_most_every_interval_between() {
        let mut sent = Vec::new();
        {
            let mut report = throttled(|n: u32| sent.push(n));
            for n in 0..1000 {
                report(n, n == 999);
            }
        }
        assert_eq!(sent.first(), Some(&0));
        assert_eq!(sent.last(), Some(&999));
        assert!(sent.len() < 10, "{} reports for a fast loop", sent.len());
    }
}
