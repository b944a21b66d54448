//! Progress bars on stderr for long work; hidden when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use parallax_core::import::ImportProgress;

pub struct Bar(ProgressBar);

impl Bar {
    fn new(template: &str) -> Bar {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar(bar)
    }

    pub fn files() -> Bar {
        Bar::new("{spinner} [{bar:40}] {pos}/{len} files  {msg}  {elapsed} (eta {eta})")
    }

    pub fn documents() -> Bar {
        Bar::new("{spinner} [{bar:40}] {pos}/{len} documents  {elapsed} (eta {eta})")
    }

    pub fn indexing() -> Bar {
        Bar::new("{spinner} indexing [{bar:40}] {pos}/{len} documents  {elapsed} (eta {eta})")
    }

    pub fn update(&self, p: &ImportProgress) {
        self.set(p.files_done, p.files_total);
        self.0.set_message(format!(
            "{:.1} MB, {} documents",
            p.bytes_done as f64 / 1e6,
            p.documents_stored
        ));
    }

    pub fn set(&self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
