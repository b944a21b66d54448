//! Fuzzing on stable Rust: every importer, the query parser and the text header parser fed
//! seeded mutations of real input (the demo workspace exported in every format, and small
//! hand-made files of the formats Parallax does not write). Every input must come back as
//! documents or as a refusal with a message, never as a panic; a sample of the mutated files is
//! also imported into a real workspace, which must stay whole.
//!
//! `PARALLAX_FUZZ_CASES` sets the inputs per target (a short budget by default, for `make test`;
//! `make fuzz` runs a million), `PARALLAX_FUZZ_SEED` the seed, `PARALLAX_FUZZ_TARGETS` which
//! targets (all by default). An input that panics is saved in
//! `target/fuzz-failures/` to be replayed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parallax_core::export::ExportOptions;
use parallax_core::formats::Format;
use parallax_core::import::{ImportOptions, header};
use parallax_core::search::query;
use parallax_core::{Workspace, demo};
use parallax_synth::Rng;

/// Pieces that make parsers take other paths: syntax, odd numbers, odd text.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\n",
    "\r\n",
    "\t",
    " ",
    "-1",
    "0",
    "4294967296",
    "99999999999999999999",
    "1e309",
    "-0",
    "null",
    "true",
    "\"\\ud800\"",
    "\\u0000",
    "\u{feff}",
    "😀",
    "🇺🇦",
    "é",
    "e\u{301}",
    "\0",
    "\u{2028}",
    "T1\tX 0 5\tx\n",
    "R1\tr Arg1:T1 Arg2:T9\n",
    "A1\tNeg T1\n",
    "#1\tAnnotatorNotes T1\tn\n",
    "T2\tY 3 1;9 2\tq\n",
    "B-",
    "I-",
    "O\n",
    "-DOCSTART- -X- O\n\n",
    "\"start\":",
    "\"end\":",
    "\"labels\":[\"X\"]",
    "\"label\":[[0,3,\"L\"]]",
    "\"text\":\"\"",
    "\"spans\":[{\"start\":5,\"end\":2,\"label\":\"L\"}]",
    "\"data\":{}",
    "\"annotations\":[{\"result\":[{}]}]",
    "\"relations\":[{\"head\":0,\"child\":99}]",
    "\"tokens\":[]",
    "\"token_start\":7",
    ",,,",
    "\"a\",\"b\"\n",
    "title:",
    "outlet:(",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    "*",
    "[2022 TO",
    "label:",
    "\"unclosed",
    "published:2022-13-45",
];

/// One mutation of a seed: a few edits, byte-level and token-level, or a splice of two seeds.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(9) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next_u64() as u8;
            }
            2 | 3 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            4 if !data.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            5 if !data.is_empty() => {
                let end = (at + 1 + rng.below(256)).min(data.len());
                let piece: Vec<u8> = data[at.min(end)..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, piece);
            }
            6 => data.truncate(at),
            7 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // A number somewhere made odd: the offsets most formats carry.
                if let Some(i) = (at..data.len()).find(|&i| data[i].is_ascii_digit()) {
                    let odd = ["0", "-1", "4294967295", "18446744073709551616", "7.5"];
                    let odd = odd[rng.below(odd.len())].as_bytes();
                    data.splice(i..i + 1, odd.iter().copied());
                }
            }
        }
    }
    data
}

/// What a target made of one input: how many refusals (a file, a record, an annotation left
/// out), each with a message; or the problem, such as a refusal that says nothing.
type Outcome = Result<u64, String>;

/// Reads one input for a target.
type Run = Box<dyn Fn(&[u8]) -> Outcome>;

/// A refusal's message: counted when it says something, a problem when it does not.
fn refusal(message: &str) -> Outcome {
    if message.trim().is_empty() {
        Err("refused without a message".into())
    } else {
        Ok(1)
    }
}

struct Target {
    name: &'static str,
    seeds: Vec<Vec<u8>>,
    /// The format to import a sample of its inputs as, into a real workspace.
    import_as: Option<(Format, &'static str)>,
    run: Run,
}

/// Reads `bytes` as `format` and checks that every refusal and warning has words.
fn read_as(format: Format, name: &str, bytes: &[u8]) -> Outcome {
    let opts = ImportOptions {
        annotator: "fuzz".into(),
        ..Default::default()
    };
    let records =
        match parallax_core::import::read_file(format, Path::new(name), name, bytes, &opts) {
            Ok(records) => records,
            Err(file) => return refusal(&file),
        };
    let mut refused = 0;
    for record in records {
        match record {
            Ok(doc) => {
                for w in &doc.warnings {
                    refused += refusal(w)?;
                }
            }
            Err(e) => refused += refusal(&e.reason)?,
        }
    }
    Ok(refused)
}

/// The demo workspace exported in `format`: its files' bytes (a folder's, for brat).
fn exported(ws: &Workspace, dir: &Path, format: Format) -> Vec<PathBuf> {
    let out = dir.join(format!("{format:?}"));
    let opts = ExportOptions {
        format,
        filter: Default::default(),
        split: None,
        seed: None,
    };
    ws.export(&opts, &out, None, &mut |_, _| {}).unwrap();
    if out.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    } else {
        vec![out]
    }
}

/// The first `n` lines of a JSONL file: small seeds keep every case quick.
fn lines(path: &Path, n: usize) -> Vec<Vec<u8>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take(n)
        .map(|l| format!("{l}\n").into_bytes())
        .collect()
}

fn targets(dir: &Path) -> Vec<Target> {
    let ws = demo::open_or_create(&dir.join("demo")).unwrap();
    let jsonl = |format, reader_format, name: &'static str| {
        let path = exported(&ws, dir, format).remove(0);
        let mut seeds = lines(&path, 3);
        seeds.push(lines(&path, 1).concat());
        Target {
            name,
            seeds,
            import_as: Some((reader_format, "jsonl")),
            run: Box::new(move |b| read_as(reader_format, "fuzz.jsonl", b)),
        }
    };
    let studio = {
        let path = exported(&ws, dir, Format::LabelStudio).remove(0);
        let tasks: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut seeds: Vec<Vec<u8>> = tasks
            .iter()
            .take(2)
            .map(|t| serde_json::to_vec(&[t]).unwrap())
            .collect();
        // The JSON-MIN form, as Label Studio's converter writes it.
        seeds.push(
            br#"[{"text":"\u00e9 Kyiv said no","id":3,"label":[{"start":2,"end":6,"text":"Kyiv","labels":["SOURCE"]}],
               "kind":[{"start":7,"end":14,"choices":["a","b"]}],"annotator":1,"lead_time":2.5}]"#
                .to_vec(),
        );
        Target {
            name: "label-studio",
            seeds,
            import_as: Some((Format::LabelStudio, "json")),
            run: Box::new(|b| read_as(Format::LabelStudio, "fuzz.json", b)),
        }
    };
    let conll = {
        let path = exported(&ws, dir, Format::Conll).remove(0);
        let text = std::fs::read_to_string(path).unwrap();
        let first: String = text
            .split("-DOCSTART-")
            .take(2)
            .collect::<Vec<_>>()
            .join("-DOCSTART-");
        Target {
            name: "conll",
            seeds: vec![
                first.into_bytes(),
                b"EU B-ORG\nrejects O\nGerman I-MISC\ncall O\n\nPeter B-PER\n".to_vec(),
            ],
            import_as: Some((Format::Conll, "conll")),
            run: Box::new(|b| read_as(Format::Conll, "fuzz.conll", b)),
        }
    };
    // brat: a .txt and its .ann, mutated together as one input split at a NUL.
    let brat = {
        let files = exported(&ws, dir, Format::Brat);
        let pairs: Vec<Vec<u8>> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "ann"))
            .take(2)
            .map(|ann| {
                let mut both = std::fs::read(ann.with_extension("txt")).unwrap();
                both.push(0);
                both.extend(std::fs::read(ann).unwrap());
                both
            })
            .collect();
        let scratch = dir.join("brat");
        std::fs::create_dir_all(&scratch).unwrap();
        Target {
            name: "brat",
            seeds: pairs,
            import_as: None,
            run: Box::new(move |b| {
                let split = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                let txt = scratch.join("case.txt");
                std::fs::write(&txt, &b[..split]).unwrap();
                std::fs::write(txt.with_extension("ann"), b.get(split + 1..).unwrap_or(&[]))
                    .unwrap();
                read_as(Format::Brat, txt.to_str().unwrap_or("case.txt"), &[])
            }),
        }
    };
    let csv = Target {
        name: "csv",
        seeds: vec![
            b"title,outlet,text\nTroops,Wire,\"Some units, the ministry said, \"\"return\"\".\"\n"
                .to_vec(),
            b"text\tpublished\nA line\t2022-02-15\n".to_vec(),
            // A row of Label Studio's CSV export: the regions as JSON in a cell.
            b"text,id,label,annotator\n\"\xc3\xa9 Kyiv said no\",4,\"[{\"\"start\"\": 2, \"\"end\"\": 6, \"\"text\"\": \"\"Kyiv\"\", \"\"labels\"\": [\"\"SOURCE\"\"]}]\",ana\n".to_vec(),
        ],
        import_as: Some((Format::Csv, "csv")),
        run: Box::new(|b| read_as(Format::Csv, "fuzz.csv", b)),
    };
    let text = Target {
        name: "text",
        seeds: vec![
            b"Russia says some troops pulling back\n20220215\nhttps://www.presstv.ir/Detail/2022/02/15/1\n\nThe ministry said \xe2\x80\x9cunits are returning\xe2\x80\x9d.\n".to_vec(),
            b" date 2022-02-15 Some units are returning, Moscow says.\n\nThis article originally belongs to nbcnews.com\n".to_vec(),
            "Le minist\u{e8}re a d\u{e9}clar\u{e9} que les unit\u{e9}s\nrentraient \u{e0} la caserne apr\u{e8}s les exercices.\n".as_bytes().to_vec(),
        ],
        import_as: Some((Format::Text, "txt")),
        run: Box::new(|b| {
            let opts = ImportOptions {
                annotator: "fuzz".into(),
                ..Default::default()
            };
            match parallax_core::import::document_from_bytes(b, "fuzz.txt", &opts) {
                Err(e) => refusal(&e),
                Ok(_) => Ok(0),
            }
        }),
    };
    let queries = Target {
        name: "query",
        seeds: [
            "troops",
            "\"some units are returning\" outlet:reuters",
            "label:CLAIM attr:check_worthy=true -troops",
            "published:[2022-02-01 TO *] AND (status:done OR troop*)",
            "doc:abcd title:\"talks in geneva\" lang:en",
        ]
        .iter()
        .map(|q| q.as_bytes().to_vec())
        .collect(),
        import_as: None,
        run: Box::new(|b| match query::parse(&String::from_utf8_lossy(b)) {
            Err(e) => refusal(&e.message),
            Ok(_) => Ok(0),
        }),
    };
    let headers = Target {
        name: "header",
        seeds: vec![
            b"Title of it\n20220215\nhttps://example.com/a/b\n\nBody.".to_vec(),
            b" date 2022-02-15 Body text follows.".to_vec(),
            b"By Jane Doe | 15 February 2022\nSource: Wire\n\nText".to_vec(),
        ],
        import_as: None,
        run: Box::new(|b| {
            header::extract(&String::from_utf8_lossy(b));
            Ok(0)
        }),
    };
    vec![
        jsonl(Format::Jsonl, Format::Jsonl, "native-jsonl"),
        jsonl(Format::Doccano, Format::Doccano, "doccano"),
        jsonl(Format::DoccanoLabel, Format::Doccano, "doccano-label"),
        jsonl(Format::Spacy, Format::Spacy, "spacy-prodigy"),
        studio,
        brat,
        conll,
        csv,
        text,
        queries,
        headers,
    ]
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[test]
fn no_input_makes_a_reader_or_parser_panic() {
    let cases = env_number("PARALLAX_FUZZ_CASES", 2_000);
    let seed = env_number("PARALLAX_FUZZ_SEED", 20261202);
    let tmp = tempfile::tempdir().unwrap();
    // PARALLAX_FUZZ_TARGETS=csv,label-studio runs only those (after a change to their readers).
    let only = std::env::var("PARALLAX_FUZZ_TARGETS").unwrap_or_default();
    let targets: Vec<Target> = targets(tmp.path())
        .into_iter()
        .filter(|t| only.is_empty() || only.split(',').any(|n| n.trim() == t.name))
        .collect();
    assert!(!targets.is_empty(), "no fuzz target is named {only}");
    let failures_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-failures");
    // A sample of the inputs goes through a real import too (the store's checks, its
    // transactions), into one workspace that must stay whole.
    let mut ws = Workspace::init(tmp.path().join("imports")).unwrap();
    let import_every = env_number("PARALLAX_FUZZ_IMPORT_EVERY", 25).max(1);
    let mut imported = 0u64;

    // Panics are counted here, not printed as they happen.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let mut rng = Rng(seed ^ (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (mut refused, mut slowest) = (0u64, Duration::ZERO);
        for case in 0..cases {
            let input = mutate(&mut rng, &target.seeds);
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(&input)));
            slowest = slowest.max(started.elapsed());
            let problem = match outcome {
                Ok(Ok(n)) => {
                    refused += n;
                    None
                }
                Ok(Err(problem)) => Some(problem),
                Err(panic) => Some(format!(
                    "panicked: {}",
                    panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("?")
                )),
            };
            if let Some(problem) = problem {
                std::fs::create_dir_all(&failures_dir).unwrap();
                let saved = failures_dir.join(format!("{}-{seed}-{case}.bin", target.name));
                std::fs::write(&saved, &input).unwrap();
                failures.push(format!("{}: {problem} ({})", target.name, saved.display()));
            }
            if let Some((format, ext)) = target.import_as
                && case % import_every == 0
            {
                let file = tmp.path().join(format!("case-{t}-{case}.{ext}"));
                std::fs::write(&file, &input).unwrap();
                let opts = ImportOptions {
                    format: Some(format),
                    annotator: "fuzz".into(),
                    ..Default::default()
                };
                let result = catch_unwind(AssertUnwindSafe(|| {
                    ws.import_paths(std::slice::from_ref(&file), &opts, None, &mut |_| {})
                }));
                match result {
                    Ok(Ok(_)) => imported += 1,
                    Ok(Err(e)) => failures.push(format!("{}: import failed: {e}", target.name)),
                    Err(_) => failures.push(format!("{}: import panicked", target.name)),
                }
                std::fs::remove_file(&file).unwrap();
            }
        }
        let line = format!(
            "{:<14} {cases} inputs, {refused} refusals each with a message, slowest {:.1} ms",
            target.name,
            slowest.as_secs_f64() * 1e3
        );
        // Printed as each target ends: the long mode runs for many minutes.
        eprintln!("fuzz: {line}");
        summary.push(line);
    }
    std::panic::set_hook(hook);
    println!("fuzz (seed {seed}):\n  {}", summary.join("\n  "));
    println!("  {imported} of them imported into a real workspace");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The workspace the sample went into is whole.
    assert_eq!(ws.problems().unwrap(), Vec::<String>::new());
}
