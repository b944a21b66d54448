//! What every benchmark measures with: peak memory, sizes on disk, percentiles, a work folder.

use std::path::{Path, PathBuf};

use parallax_core::Error;
use serde::Serialize;

/// Peak resident memory of this process so far (Linux), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts measuring peak resident memory afresh (Linux: writing 5 to clear_refs resets VmHWM).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

pub fn dir_mb(path: &Path) -> f64 {
    std::fs::read_dir(path).map_or(0.0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .map(|e| {
                let p = e.path();
                if p.is_dir() { dir_mb(&p) } else { file_mb(&p) }
            })
            .sum()
    })
}

/// The value at quantile `q` (0 to 1) of sorted, non-empty timings.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// The folder a benchmark works in: the one given (kept), or a temporary one (removed).
pub struct WorkDir {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl WorkDir {
    pub fn new(dir: Option<PathBuf>) -> Result<WorkDir, Error> {
        Ok(match dir {
            Some(path) => WorkDir {
                path,
                _temporary: None,
            },
            None => {
                let tmp = tempfile::tempdir().map_err(|e| Error::io("temporary folder", e))?;
                WorkDir {
                    path: tmp.path().to_path_buf(),
                    _temporary: Some(tmp),
                }
            }
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A benchmark's result: one JSON line with `--json`, else lines for a person to read.
pub trait Outcome: Serialize {
    fn print_text(&self);
}

pub fn print(result: &impl Outcome, json: bool) -> Result<(), Error> {
    if json {
        println!("{}", serde_json::to_string(result)?);
    } else {
        result.print_text();
    }
    Ok(())
}
