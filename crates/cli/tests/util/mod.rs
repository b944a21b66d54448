//! The harness the tests of the `parallax` binary share, after ripgrep's `tests/util.rs`.
//!
//! A [`Dir`] owns a temporary folder and knows the workspace in it (`<root>/ws`); it writes
//! files there and hands out [`TestCommand`]s already pointed at the workspace:
//! `t.cmd("annotate").arg(doc)` runs `parallax annotate <ws> <doc>`, as every command takes the
//! workspace as its first argument. A command then runs and checks how it ended in one call:
//! `assert_ok()`, `stdout()`, `stdout_containing(text)`, `json()` and `json_lines()` want success, `assert_err()`,
//! `assert_fails_with(text)` and `assert_exit(code)` a failure. When it ended otherwise the panic
//! says the command, its status and both streams.
//!
//! Each test binary uses a part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use serde_json::Value;

/// The `parallax` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_parallax"))
}

/// Each line of `text` as JSON.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
        .collect()
}

/// A temporary folder, removed when dropped, and the workspace path in it.
pub struct Dir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    ws: PathBuf,
}

impl Dir {
    /// A new empty folder; its workspace `<root>/ws` is not made yet (see [`Dir::init`]).
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        Dir::at(tmp, root)
    }

    /// Like [`Dir::new`], with the root (and so the workspace) down the folders `rel`.
    pub fn under(rel: impl AsRef<Path>) -> Dir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join(rel);
        fs::create_dir_all(&root).unwrap();
        Dir::at(tmp, root)
    }

    fn at(tmp: tempfile::TempDir, root: PathBuf) -> Dir {
        let ws = root.join("ws");
        Dir {
            _tmp: tmp,
            root,
            ws,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ws(&self) -> &Path {
        &self.ws
    }

    /// `rel` under the root (an absolute `rel` stays as it is).
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    /// Makes the folder `rel` (and those above it) and returns its path.
    pub fn mkdir(&self, rel: impl AsRef<Path>) -> PathBuf {
        let dir = self.path(rel);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes `contents` to `rel`, making the folders above it, and returns its path.
    pub fn create(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
        path
    }

    /// The text of the file `rel`.
    pub fn read(&self, rel: impl AsRef<Path>) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// `parallax init <ws>`, which must succeed.
    pub fn init(&self) {
        self.cmd("init").assert_ok();
    }

    /// `parallax <sub> <ws>`, ready for more arguments.
    pub fn cmd(&self, sub: &str) -> TestCommand {
        self.cmd_via(&[], sub)
    }

    /// `parallax <sub> <ws>` run through `wrapper` (such as `runuser -u nobody --`).
    pub fn cmd_via(&self, wrapper: &[&str], sub: &str) -> TestCommand {
        let mut cmd = TestCommand::via(wrapper);
        cmd.arg(sub).arg(&self.ws);
        cmd
    }

    /// `parallax docs --json`: a line a document.
    pub fn docs(&self) -> Vec<Value> {
        self.cmd("docs").arg("--json").json_lines()
    }

    /// The document imported from the file named `file`.
    pub fn doc_by_file(&self, file: &str) -> Value {
        self.docs()
            .into_iter()
            .find(|d| d["source_file"] == file)
            .unwrap_or_else(|| panic!("no document from {file}"))
    }

    /// The id of the document imported from the file named `file`.
    pub fn doc_id(&self, file: &str) -> String {
        self.doc_by_file(file)["id"].as_str().unwrap().to_string()
    }

    /// `parallax show --json` of the document `id`.
    pub fn show(&self, id: &str) -> Value {
        self.cmd("show").arg(id).arg("--json").json()
    }

    /// The text of the document `id`.
    pub fn text_of(&self, id: &str) -> String {
        self.show(id)["document"]["text"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `parallax annotate` of `[start, end)` in `doc` with `label`, ready to run.
    pub fn annotate_cmd(
        &self,
        doc: &str,
        (start, end): (usize, usize),
        label: &str,
    ) -> TestCommand {
        let mut cmd = self.cmd("annotate");
        cmd.arg(doc)
            .args(["--start", &start.to_string(), "--end", &end.to_string()])
            .args(["--label", label]);
        cmd
    }

    /// Annotates `[start, end)` in `doc` with `label`: the new span's id.
    pub fn annotate(&self, doc: &str, span: (usize, usize), label: &str) -> String {
        self.annotate_cmd(doc, span, label)
            .stdout()
            .trim()
            .to_string()
    }
}

impl Default for Dir {
    fn default() -> Dir {
        Dir::new()
    }
}

/// A `parallax` process to run, with the environment every test wants: no annotator set
/// (`PARALLAX_ANNOTATOR`), and `USER=tester` so that changes are made by `tester`.
pub struct TestCommand {
    cmd: Command,
}

impl TestCommand {
    /// `parallax`, with no arguments yet.
    pub fn new() -> TestCommand {
        TestCommand::via(&[])
    }

    /// `parallax` run through `wrapper`: `wrapper[0] wrapper[1..] parallax`.
    pub fn via(wrapper: &[&str]) -> TestCommand {
        let mut cmd = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut cmd = Command::new(program);
                cmd.args(rest).arg(bin());
                cmd
            }
            None => Command::new(bin()),
        };
        cmd.env_remove("PARALLAX_ANNOTATOR").env("USER", "tester");
        TestCommand { cmd }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// The process to spawn by hand (to kill it part-way, say).
    pub fn process(&mut self) -> &mut Command {
        &mut self.cmd
    }

    /// Runs it to the end, however it ends.
    pub fn run(&mut self) -> Outcome {
        let out = self
            .cmd
            .output()
            .unwrap_or_else(|e| panic!("{:?} did not start: {e}", self.cmd));
        let text = |bytes: Vec<u8>, stream: &str| {
            String::from_utf8(bytes).unwrap_or_else(|e| {
                panic!(
                    "{:?}: {stream} is not UTF-8: {}",
                    self.cmd,
                    String::from_utf8_lossy(e.as_bytes())
                )
            })
        };
        Outcome {
            command: format!("{:?}", self.cmd),
            status: out.status,
            stdout: text(out.stdout, "stdout"),
            stderr: text(out.stderr, "stderr"),
        }
    }

    /// Runs it; it must succeed.
    pub fn assert_ok(&mut self) -> Outcome {
        let out = self.run();
        assert!(out.status.success(), "expected success: {out}");
        out
    }

    /// Runs it; it must succeed: what it printed.
    pub fn stdout(&mut self) -> String {
        self.assert_ok().stdout
    }

    /// Runs it; it must succeed and print `text` (among other things): what it printed.
    pub fn stdout_containing(&mut self, text: &str) -> String {
        let out = self.assert_ok();
        assert!(
            out.stdout.contains(text),
            "expected {text:?} on stdout: {out}"
        );
        out.stdout
    }

    /// Runs it; it must succeed and print one JSON value.
    pub fn json(&mut self) -> Value {
        let out = self.assert_ok();
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Runs it; it must succeed and print a JSON value a line.
    pub fn json_lines(&mut self) -> Vec<Value> {
        json_lines(&self.stdout())
    }

    /// Runs it; it must fail (any status but 0).
    pub fn assert_err(&mut self) -> Outcome {
        let out = self.run();
        assert!(!out.status.success(), "expected a failure: {out}");
        out
    }

    /// Runs it; it must fail and say `text` on stderr.
    pub fn assert_fails_with(&mut self, text: &str) -> Outcome {
        let out = self.assert_err();
        assert!(
            out.stderr.contains(text),
            "expected {text:?} on stderr: {out}"
        );
        out
    }

    /// Runs it; it must exit with `code`.
    pub fn assert_exit(&mut self, code: i32) -> Outcome {
        let out = self.run();
        assert_eq!(
            out.status.code(),
            Some(code),
            "expected status {code}: {out}"
        );
        out
    }
}

impl Default for TestCommand {
    fn default() -> TestCommand {
        TestCommand::new()
    }
}

/// How a command ended: its status and what it printed.
pub struct Outcome {
    command: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Its stdout, a JSON value a line.
    pub fn json_lines(&self) -> Vec<Value> {
        json_lines(&self.stdout)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ended with {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.status, self.stdout, self.stderr
        )
    }
}
