//! A deterministic generator of news-like articles for benchmarks and tests: reported claims
//! with sources and cues, figures, curly quotes, and the header quirks of real files (date
//! prefix, title/date/URL header, hard wraps). The same seed gives the same corpus, byte for
//! byte. Not part of the app or the `parallax` command.

use std::io::{self, Write};
use std::path::Path;

/// SplitMix64: tiny, fast, and good enough to vary benchmark text (and the fuzz test's input).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const OUTLETS: &[&str] = &[
    "northgazette.example",
    "meridianwire.example",
    "valleycourier.example",
    "riverpost.example",
    "kestreldaily.example",
    "harbourledger.example",
    "eastern-herald.example",
    "thecitadel.example",
];
const PEOPLE: &[&str] = &[
    "Col. Anneke Dorval",
    "Minister Tomás Reyl",
    "Zoë Lindqvar",
    "Gen. Piet Marrow",
    "Mayor Ilse Varga",
    "spokesman Oren Kast",
    "Dr. Hana Sørlie",
    "analyst Jun Okafor",
];
const ROLES: &[&str] = &[
    "the ministry's spokeswoman",
    "a senior official",
    "the regional governor",
    "an independent analyst",
    "the agency's director",
];
const CUES: &[&str] = &[
    "said",
    "told reporters",
    "said on Tuesday",
    "was quoted as saying",
    "added",
    "warned",
];
const SUBJECTS: &[&str] = &[
    "troops",
    "residents",
    "vehicles",
    "tonnes of grain",
    "workers",
    "cubic metres of water",
    "households",
    "soldiers",
];
const QUALIFIERS: &[&str] = &["more than", "some", "about", "over", "nearly", "at least"];
const CLAIMS: &[&str] = &[
    "the units have completed their exercises and will return to their bases",
    "the gates will be opened in stages from Saturday morning",
    "no family will be left without shelter, transport or clean water",
    "the talks will resume next week in the capital",
    "the border crossings will stay open throughout the holiday",
    "the reservoir is at its highest level in thirty years",
    "the sanctions will be lifted once the inspections are complete",
    "the evacuation was planned weeks ago and is going as expected",
];
const FILLER: &[&str] = &[
    "The announcement came after days of uncertainty in the region.",
    "Officials did not say how long the operation would last.",
    "Satellite images released on Monday appeared to show convoys moving north.",
    "Residents interviewed on Thursday were cautiously optimistic.",
    "The figures could not be independently verified.",
    "Neighbouring countries have called for restraint on all sides.",
    "Markets reacted calmly to the news, with the currency little changed.",
    "It was not immediately clear whether the decision would be reversed.",
    "Critics said the government had moved too slowly — and too late.",
    "The opposition demanded a full account of the costs before the vote.",
];

fn figure(rng: &mut Rng) -> String {
    let n = (rng.below(200) + 1) * 500;
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!(
        "{} {} {}",
        rng.pick(QUALIFIERS),
        grouped,
        rng.pick(SUBJECTS)
    )
}

fn paragraph(rng: &mut Rng) -> String {
    let mut p = String::new();
    for _ in 0..(2 + rng.below(3)) {
        let s = match rng.below(4) {
            0 => format!(
                "“{},” {} {}.",
                capitalize(rng.pick(CLAIMS)),
                rng.pick(PEOPLE),
                rng.pick(CUES)
            ),
            1 => format!(
                "According to {}, {} had been moved since the start of the month.",
                rng.pick(ROLES),
                figure(rng)
            ),
            2 => format!(
                "{}, {}, {} that {}.",
                rng.pick(PEOPLE),
                rng.pick(ROLES),
                rng.pick(CUES),
                rng.pick(CLAIMS)
            ),
            _ => rng.pick(FILLER).to_string(),
        };
        if !p.is_empty() {
            p.push(' ');
        }
        p.push_str(&s);
    }
    p
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for para in text.split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut line_len = 0;
        for word in para.split(' ') {
            let w = word.chars().count();
            if line_len > 0 && line_len + 1 + w > width {
                out.push('\n');
                line_len = 0;
            } else if line_len > 0 {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += w;
        }
    }
    out
}

/// Article number `i` of the corpus with this seed, as file content.
pub fn article(seed: u64, i: u64) -> String {
    let mut rng = Rng(seed ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let outlet = rng.pick(OUTLETS);
    let day = 1 + rng.below(28);
    // About 4 kB on average, as the seed articles are.
    let paragraphs: Vec<String> = (0..(9 + rng.below(10)))
        .map(|_| paragraph(&mut rng))
        .collect();
    let mut body = paragraphs.join("\n\n");
    if rng.below(5) == 0 {
        body = wrap(&body, 80);
    }
    match rng.below(3) {
        0 => format!(" date 2025-03-{day:02} {body}\n"),
        1 => format!(
            "{} ({i})\n202503{day:02}\nhttps://www.{outlet}/news/2025/03/{day:02}/{i}\n{}\n",
            capitalize(rng.pick(CLAIMS)),
            body.replace("\n\n", "\n")
        ),
        _ => format!("{body}\n\nSource: | This article originally belongs to {outlet}\n"),
    }
}

/// One long article of at least `words` words (paragraphs of the same kind as [`article`]), for
/// the reader's rendering benchmark. A few emoji keep the code point and UTF-16 counts apart.
pub fn long_document(seed: u64, words: usize) -> String {
    let mut rng = Rng(seed);
    let mut paragraphs = Vec::new();
    let mut count = 0;
    while count < words {
        let mut p = paragraph(&mut rng);
        if rng.below(20) == 0 {
            p.push_str(" 🇺🇦");
        }
        count += p.split_whitespace().count();
        paragraphs.push(p);
    }
    paragraphs.join("\n\n")
}

/// Writes `count` articles into `dir`, a thousand per subfolder. Returns the bytes written.
pub fn write_corpus(dir: &Path, count: u64, seed: u64) -> io::Result<u64> {
    let mut bytes = 0u64;
    for i in 0..count {
        let sub = dir.join(format!("{:04}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let text = article(seed, i);
        std::fs::File::create(sub.join(format!("{i:07}.txt")))?.write_all(text.as_bytes())?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}

/// Word boundaries `[start, end)` of `text` in code points: where generated spans may go.
pub fn word_extents(text: &str) -> Vec<(u32, u32)> {
    let mut words = Vec::new();
    let mut start: Option<u32> = None;
    let mut i = 0u32;
    for c in text.chars() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        words.push((s, i));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_has_the_words_asked_for() {
        let doc = long_document(1, 5_000);
        let words = doc.split_whitespace().count();
        assert!((5_000..5_200).contains(&words), "{words}");
        assert_eq!(doc, long_document(1, 5_000));
    }

    #[test]
    fn the_same_seed_gives_the_same_article_and_others_differ() {
        assert_eq!(article(7, 3), article(7, 3));
        assert_ne!(article(7, 3), article(7, 4));
        assert_ne!(article(7, 3), article(8, 3));
    }

    #[test]
    fn articles_are_news_sized_with_quirks() {
        let texts: Vec<String> = (0..200).map(|i| article(1, i)).collect();
        let avg = texts.iter().map(|t| t.len()).sum::<usize>() / texts.len();
        assert!((3500..5000).contains(&avg), "average {avg} bytes");
        assert!(texts.iter().any(|t| t.starts_with(" date 2025-03-")));
        assert!(texts.iter().any(|t| t.contains("\n202503")));
        assert!(texts.iter().any(|t| t.contains('“')));
    }
}
