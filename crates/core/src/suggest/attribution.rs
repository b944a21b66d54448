//! Who said what, found by rules over the engine's tokens and sentences: direct quotes (their
//! content inside the marks, quotes over several paragraphs), mixed and indirect speech ("X
//! said that …", "…, X said.", "according to X, …"), each with its speaker and reporting words,
//! a pronoun speaker resolved to the nearest fitting earlier one; and site furniture around an
//! article. The word lists are data (`crates/core/data/<language>/attribution.txt`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::offsets::OffsetMap;
use crate::text::Tokenized;

const ENGLISH: &str = include_str!("../../data/en/attribution.txt");

/// How a statement is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speech {
    /// Inside quotation marks, whole.
    Direct,
    /// A reported clause with a quoted part.
    Mixed,
    /// A reported clause without marks.
    Indirect,
}

impl Speech {
    pub fn name(self) -> &'static str {
        match self {
            Speech::Direct => "direct",
            Speech::Mixed => "mixed",
            Speech::Indirect => "indirect",
        }
    }
}

/// One attribution found, in byte offsets of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub speech: Speech,
    pub claim: (usize, usize),
    pub source: Option<(usize, usize)>,
    pub cue: Option<(usize, usize)>,
    /// For a pronoun speaker, the earlier speaker it refers to.
    pub refers_to: Option<String>,
    /// The rule that found it, for `suggested_by`.
    pub rule: &'static str,
}

/// What a pronoun can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Referent {
    Person,
    Group,
    Body,
}

/// The word lists of one language.
struct Lexicon {
    cues: HashSet<String>,
    objects: Vec<Vec<String>>,
    phrases: Vec<Vec<String>>,
    not_after: Vec<Vec<String>>,
    auxiliaries: HashSet<String>,
    titles: HashSet<String>,
    roles: HashSet<String>,
    modifiers: HashSet<String>,
    pronouns: HashMap<String, Referent>,
    boilerplate_tail: Vec<String>,
    boilerplate_line: Vec<String>,
    /// Participles that report ("…, saying that …"): cues too.
    participles: HashSet<String>,
    /// Days and months: never a speaker, and the end of "said on Tuesday".
    dates: HashSet<String>,
    /// Words that open an adverbial after a cue, not a reported clause.
    prepositions: HashSet<String>,
    /// The nouns that end such an adverbial ("in a statement", "last week").
    adverbial_nouns: HashSet<String>,
    /// Roles that are bodies, for pronoun resolution ("it" → "the ministry").
    bodies: HashSet<String>,
}

impl Lexicon {
    fn parse(data: &str) -> Lexicon {
        let mut sections: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut current = "";
        for line in data.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name;
                continue;
            }
            sections.entry(current).or_default().push(line);
        }
        let list = |name: &str| sections.get(name).cloned().unwrap_or_default();
        let set = |name: &str| list(name).into_iter().map(str::to_string).collect();
        let words = |name: &str| {
            list(name)
                .into_iter()
                .map(|l| l.split_whitespace().map(str::to_string).collect())
                .collect()
        };
        let pronouns = list("pronouns")
            .into_iter()
            .filter_map(|l| {
                let (word, kind) = l.split_once(' ')?;
                let kind = match kind.trim() {
                    "person" => Referent::Person,
                    "group" => Referent::Group,
                    _ => Referent::Body,
                };
                Some((word.to_string(), kind))
            })
            .collect();
        Lexicon {
            cues: set("cues"),
            objects: words("objects"),
            phrases: words("phrases"),
            not_after: words("not_after"),
            auxiliaries: set("auxiliaries"),
            titles: set("titles"),
            roles: set("roles"),
            modifiers: set("modifiers"),
            pronouns,
            boilerplate_tail: list("boilerplate_tail")
                .into_iter()
                .map(str::to_string)
                .collect(),
            boilerplate_line: list("boilerplate_line")
                .into_iter()
                .map(str::to_string)
                .collect(),
            participles: set("participles"),
            dates: set("dates"),
            prepositions: set("prepositions"),
            adverbial_nouns: set("adverbial_nouns"),
            bodies: set("bodies"),
        }
    }
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(ENGLISH));

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Names of known speakers (the workspace's source entities and their aliases), cut into
/// lower-case words once for every text they are looked for in.
#[derive(Debug, Clone, Default)]
pub struct KnownSpeakers {
    by_first_word: HashMap<String, Vec<Vec<String>>>,
}

impl KnownSpeakers {
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> KnownSpeakers {
        let mut by_first_word: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for name in names {
            let doc = Tokenized::new(name, &OffsetMap::new(name), &[]);
            let words: Vec<String> = (0..doc.tokens.len())
                .filter(|&i| !doc.tokens[i].is_space)
                .map(|i| doc.word(i).to_lowercase())
                .collect();
            if let Some(first) = words.first() {
                by_first_word.entry(first.clone()).or_default().push(words);
            }
        }
        KnownSpeakers { by_first_word }
    }
}

/// The words of a text (tokens that are not whitespace), with what the rules ask of them.
struct Words<'a> {
    text: &'a str,
    /// Byte range of each word.
    at: Vec<(usize, usize)>,
    lower: Vec<String>,
    /// Sentence number of each word.
    sentence: Vec<usize>,
    /// Paragraph number of each word (a paragraph ends at a line break).
    paragraph: Vec<usize>,
    /// Where known speakers (the workspace's source entities) are named, as word ranges.
    known: Vec<(usize, usize)>,
}

impl<'a> Words<'a> {
    fn new(doc: &Tokenized<'a>) -> Words<'a> {
        let mut at = Vec::new();
        let mut sentence = Vec::new();
        let mut paragraph = Vec::new();
        let mut para = 0;
        for (i, t) in doc.tokens.iter().enumerate() {
            if t.is_space {
                if doc.text[t.start..t.end].contains('\n') {
                    para += 1;
                }
                continue;
            }
            at.push((t.start, t.end));
            sentence.push(doc.sentence_of(i));
            paragraph.push(para);
        }
        let lower = at
            .iter()
            .map(|&(a, b)| doc.text[a..b].to_lowercase())
            .collect();
        Words {
            text: doc.text,
            at,
            lower,
            sentence,
            paragraph,
            known: Vec::new(),
        }
    }

    /// Finds where the known speakers are named (whole words, any case).
    fn mark_known(&mut self, known: &KnownSpeakers) {
        let mut i = 0;
        while i < self.len() {
            let longest = known
                .by_first_word
                .get(self.lower[i].as_str())
                .into_iter()
                .flatten()
                .filter(|name| self.spells(i, name))
                .map(Vec::len)
                .max();
            match longest {
                Some(n) => {
                    self.known.push((i, i + n));
                    i += n;
                }
                None => i += 1,
            }
        }
    }

    /// The known speaker named by words `[a, b)` ending at `end` (or starting at `start`).
    fn known_ending_at(&self, end: usize, floor: usize) -> Option<(usize, usize)> {
        self.known
            .iter()
            .copied()
            .find(|&(a, b)| b == end && a >= floor)
    }

    fn known_starting_at(&self, start: usize, ceiling: usize) -> Option<(usize, usize)> {
        self.known
            .iter()
            .copied()
            .find(|&(a, b)| a == start && b <= ceiling)
    }

    fn len(&self) -> usize {
        self.at.len()
    }

    fn word(&self, i: usize) -> &'a str {
        &self.text[self.at[i].0..self.at[i].1]
    }

    fn is_punct(&self, i: usize) -> bool {
        self.word(i).chars().all(|c| !c.is_alphanumeric())
    }

    fn capitalized(&self, i: usize) -> bool {
        self.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether words `i..` spell `phrase` (lower case).
    fn spells(&self, i: usize, phrase: &[String]) -> bool {
        phrase
            .iter()
            .enumerate()
            .all(|(k, w)| self.lower.get(i + k) == Some(w))
    }

    /// The first word of word `i`'s sentence (within its paragraph), and one past its last.
    fn sentence_bounds(&self, i: usize) -> (usize, usize) {
        let s = self.sentence[i];
        let p = self.paragraph[i];
        let mut a = i;
        while a > 0 && self.sentence[a - 1] == s && self.paragraph[a - 1] == p {
            a -= 1;
        }
        let mut b = i + 1;
        while b < self.len() && self.sentence[b] == s && self.paragraph[b] == p {
            b += 1;
        }
        (a, b)
    }

    fn bytes(&self, a: usize, b: usize) -> (usize, usize) {
        (self.at[a].0, self.at[b - 1].1)
    }
}

/// A speaker's words `[a, b)`, if the words there name one.
fn speaker_ok(words: &Words<'_>, a: usize, b: usize) -> bool {
    if a >= b {
        return false;
    }
    let lex = &*LEXICON;
    (a..b).any(|i| {
        let w = &words.lower[i];
        (words.capitalized(i) && !LEXICON.dates.contains(w.as_str()))
            || lex.roles.contains(w.as_str())
    })
}

/// May word `i` be part of a speaker's name or role?
fn speaker_word(words: &Words<'_>, i: usize) -> bool {
    let lex = &*LEXICON;
    let w = &words.lower[i];
    if LEXICON.dates.contains(w.as_str()) {
        return false;
    }
    if words.is_punct(i) {
        return words.word(i) == "-" || words.word(i) == "–";
    }
    words.capitalized(i)
        || lex.titles.contains(words.word(i))
        || lex.roles.contains(w.as_str())
        || lex.modifiers.contains(w.as_str())
}

/// The speaker ending just before word `end` (auxiliaries skipped): `[start, end)` in words.
fn speaker_before(words: &Words<'_>, end: usize, floor: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    let mut end = end;
    while end > floor && lex.auxiliaries.contains(words.lower[end - 1].as_str()) {
        end -= 1;
    }
    if end == floor {
        return None;
    }
    if let Some(known) = words.known_ending_at(end, floor) {
        return Some(known);
    }
    if lex.pronouns.contains_key(words.lower[end - 1].as_str()) {
        return Some((end - 1, end));
    }
    let mut start = end;
    while start > floor && speaker_word(words, start - 1) {
        start -= 1;
    }
    // A role written in lower case before a name ("envoy Maria Lindqvist", "lead author Dr.
    // Kenji Morita"), when nothing but a boundary comes before it.
    if start < end && words.capitalized(start) {
        let mut s = start;
        while s > floor && start - s < 2 && words.word(s - 1).chars().all(char::is_lowercase) {
            s -= 1;
        }
        let boundary = s == floor
            || words.is_punct(s - 1)
            || matches!(words.lower[s - 1].as_str(), "the" | "a" | "an");
        if s < start && boundary {
            start = s;
        }
    }
    // "and", "of" and determiners do not start or end a speaker.
    while start < end && matches!(words.lower[start].as_str(), "and" | "of" | "'s" | "’s") {
        start += 1;
    }
    // A capitalised word that starts the sentence may be an adverb ("Meanwhile"): keep it only
    // when the speaker is that one word.
    (speaker_ok(words, start, end) && end - start <= 12).then_some((start, end))
}

/// The speaker starting at word `start`: `[start, end)` in words.
fn speaker_after(words: &Words<'_>, start: usize, ceiling: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    if start >= ceiling {
        return None;
    }
    if let Some(known) = words.known_starting_at(start, ceiling) {
        return Some(known);
    }
    if lex.pronouns.contains_key(words.lower[start].as_str()) {
        return Some((start, start + 1));
    }
    let mut end = start;
    // A role written in lower case before a name ("said lead author Dr. Kenji Morita").
    while end < ceiling
        && end - start < 2
        && words.word(end).chars().all(char::is_lowercase)
        && !speaker_word(words, end)
    {
        end += 1;
    }
    if end > start && !(end < ceiling && words.capitalized(end)) {
        end = start;
    }
    while end < ceiling && speaker_word(words, end) {
        end += 1;
    }
    while end > start && matches!(words.lower[end - 1].as_str(), "and" | "of" | "the" | "a") {
        end -= 1;
    }
    (speaker_ok(words, start, end) && end - start <= 12).then_some((start, end))
}

/// A cue at word `i`: its words `[i, end)` (a verb with its object, or a phrase), if it is one.
fn cue_at(words: &Words<'_>, i: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    for phrase in &lex.phrases {
        if words.spells(i, phrase) {
            return Some((i, i + phrase.len()));
        }
    }
    let w = words.lower[i].as_str();
    if !lex.cues.contains(w) && !lex.participles.contains(w) {
        return None;
    }
    if lex.not_after.iter().any(|p| words.spells(i + 1, p)) {
        return None;
    }
    // "is said", "was told": passive, not attribution.
    if i > 0
        && matches!(
            words.lower[i - 1].as_str(),
            "is" | "was" | "are" | "were" | "be" | "been"
        )
    {
        return None;
    }
    for object in &lex.objects {
        if words.spells(i + 1, object) {
            return Some((i, i + 1 + object.len()));
        }
    }
    Some((i, i + 1))
}

/// The cue after a speaker ending at word `s1`: right after it (auxiliaries skipped), or after
/// an apposition between commas ("Igor Konashenkov, the ministry's spokesman, said").
fn cue_after_speaker(words: &Words<'_>, s1: usize, limit: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    let mut k = s1;
    if k < limit && words.word(k) == "," {
        let close = (k + 1..limit.min(k + 12)).find(|&j| words.word(j) == ",")?;
        k = close + 1;
    }
    while k < limit && lex.auxiliaries.contains(words.lower[k].as_str()) {
        k += 1;
    }
    (k < limit).then(|| cue_at(words, k)).flatten()
}

/// Words after a cue before the reported clause: a time or place ("on Tuesday", "in a
/// statement"), an object ("told the BBC"), and "that".
fn clause_start(words: &Words<'_>, from: usize, end: usize) -> usize {
    // "… said on Tuesday that …": a "that" within a few words starts the clause.
    if let Some(k) = (from..end.min(from + 8)).find(|&k| words.lower[k] == "that")
        && (from..k).all(|j| !words.is_punct(j) || words.word(j) == "'s")
    {
        return k + 1;
    }
    let mut i = from;
    loop {
        let w = words.lower.get(i).map(String::as_str);
        match w {
            Some("on" | "in" | "at" | "late" | "last" | "this" | "earlier") if i + 1 < end => {
                let next = words.lower[i + 1].as_str();
                if LEXICON.dates.contains(next)
                    || matches!(
                        next,
                        "a" | "an" | "the" | "week" | "month" | "year" | "night"
                    ) && (i + 2..end.min(i + 5))
                        .any(|k| LEXICON.adverbial_nouns.contains(words.lower[k].as_str()))
                {
                    // Skip to the end of the adverbial: the noun it names.
                    let mut k = i + 1;
                    while k < end
                        && !words.is_punct(k)
                        && !LEXICON.adverbial_nouns.contains(words.lower[k].as_str())
                        && !LEXICON.dates.contains(words.lower[k].as_str())
                    {
                        k += 1;
                    }
                    i = (k + 1).min(end);
                    continue;
                }
                break;
            }
            Some(w) if LEXICON.dates.contains(w) => i += 1,
            Some(",") => i += 1,
            _ => break,
        }
    }
    i
}

/// The end of a claim: its last word, without closing punctuation.
fn trim_end(words: &Words<'_>, a: usize, mut b: usize) -> usize {
    while b > a && words.is_punct(b - 1) && !is_close_quote_word(words, b - 1) {
        b -= 1;
    }
    b
}

fn is_close_quote_word(words: &Words<'_>, i: usize) -> bool {
    words.word(i).chars().all(|c| is_close_quote(c) || c == '"')
}

/// A quotation: the bytes inside its marks.
#[derive(Debug, Clone, Copy)]
struct Quote {
    inner: (usize, usize),
    /// Bytes of the opening and closing marks.
    open: usize,
    close: Option<usize>,
}

/// Double quotations of the text: curly or straight, over paragraphs when a paragraph ends
/// inside one and the next opens again (the newspaper convention).
fn quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    // The opening mark's byte and the content's first byte.
    let mut open: Option<(usize, usize)> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        let prev = k.checked_sub(1).map(|j| chars[j].1);
        let straight_opens =
            c == '"' && prev.is_none_or(|p| p.is_whitespace() || "([{—–-".contains(p));
        if c == '\n' {
            if let Some((mark, start)) = open {
                // Continued in the next paragraph when it opens with a mark.
                let mut j = k;
                while j < chars.len() && chars[j].1.is_whitespace() {
                    j += 1;
                }
                let continues = j < chars.len() && (is_open_quote(chars[j].1) || chars[j].1 == '"');
                if continues {
                    k = j + 1;
                    continue;
                }
                out.push(Quote {
                    inner: (start, at),
                    open: mark,
                    close: None,
                });
                open = None;
            }
        } else if open.is_none() && (is_open_quote(c) || straight_opens) {
            open = Some((at, at + c.len_utf8()));
        } else if let Some((mark, start)) = open
            && (is_close_quote(c) || c == '"')
        {
            out.push(Quote {
                inner: (start, at),
                open: mark,
                close: Some(at),
            });
            open = None;
        }
        k += 1;
    }
    if let Some((mark, start)) = open {
        out.push(Quote {
            inner: (start, text.len()),
            open: mark,
            close: None,
        });
    }
    for q in &mut out {
        // No spaces or a trailing comma inside the content.
        let s = &text[q.inner.0..q.inner.1];
        let trimmed_end = s.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
        let trimmed_start = trimmed_end.trim_start();
        q.inner = (
            q.inner.0 + (trimmed_end.len() - trimmed_start.len()),
            q.inner.0 + trimmed_end.len(),
        );
    }
    out
}

/// The first word at or after byte `b`, and the last word ending at or before it.
fn word_at_or_after(words: &Words<'_>, b: usize) -> usize {
    words.at.partition_point(|&(s, _)| s < b)
}

fn word_ending_by(words: &Words<'_>, b: usize) -> usize {
    words.at.partition_point(|&(_, e)| e <= b)
}

/// Whether paragraph `p` reads as a headline or a caption: no closing punctuation.
fn is_headline(words: &Words<'_>, i: usize) -> bool {
    let p = words.paragraph[i];
    let last = (i..words.len())
        .take_while(|&k| words.paragraph[k] == p)
        .last()
        .unwrap_or(i);
    let w = words.word(last);
    !w.ends_with(['.', '!', '?', '"', '”', ':', '…', ')'])
}

/// Every attribution in `text`, in text order.
pub fn attributions(text: &str) -> Vec<Attribution> {
    attributions_by(text, &KnownSpeakers::default())
}

/// [`attributions`], with the names (and aliases) of known speakers: a known speaker next to a
/// cue is the speaker whatever its case or words ("bellingcat said …").
pub fn attributions_by(text: &str, known_speakers: &KnownSpeakers) -> Vec<Attribution> {
    let map = OffsetMap::new(text);
    let doc = Tokenized::new(text, &map, &[]);
    let mut words = Words::new(&doc);
    words.mark_known(known_speakers);
    let words = words;
    let mut found: Vec<Attribution> = Vec::new();
    let mut speakers: Vec<(usize, String, Option<Referent>)> = Vec::new();

    // Direct quotes first: their claims are settled by the marks.
    let quotes = quotes(text);
    let mut in_quote = vec![false; words.len()];
    let mut previous_close: Option<usize> = None;
    for q in &quotes {
        let (a, b) = (
            word_at_or_after(&words, q.inner.0),
            word_ending_by(&words, q.inner.1),
        );
        if b <= a {
            continue;
        }
        // The marks too: a clause that is only a quotation is not reported speech of its own.
        let marks_from = word_at_or_after(&words, q.open).min(a);
        let marks_to = q
            .close
            .map_or(b, |c| (word_at_or_after(&words, c) + 1).min(words.len()));
        in_quote[marks_from..marks_to.max(b)]
            .iter_mut()
            .for_each(|x| *x = true);
        let n_words = (a..b).filter(|&i| !words.is_punct(i)).count();
        if n_words < 4 {
            continue; // a scare quote or a title: mixed speech at most, found below
        }
        let close_word = q.close.map(|c| word_at_or_after(&words, c));
        let open_word = word_at_or_after(&words, q.open);
        let before = open_word.checked_sub(1);
        // Inside a reported clause ("said the plan was “dead on arrival”", "that “…”"): mixed
        // speech, found with its clause below.
        if let Some(w) = before
            && words.paragraph[w] == words.paragraph[a]
            && !words.is_punct(w)
            && cue_at(&words, w).is_none()
        {
            continue;
        }
        // The second half of a quote split by its attribution (“…,” she said, “…”): one claim.
        if let Some(prev) = previous_close
            && prev < open_word
            && words.paragraph[prev] == words.paragraph[a]
            && open_word - prev <= 12
            && before.is_some_and(|w| words.word(w) == ",")
            && (prev..open_word).any(|j| cue_at(&words, j).is_some())
        {
            previous_close = close_word;
            continue;
        }
        previous_close = close_word;
        let opens_paragraph =
            open_word == 0 || words.paragraph[open_word - 1] != words.paragraph[open_word];
        let mut attribution = None;
        // After: `,” he said.` `,” said Konashenkov.` in the same sentence and paragraph.
        if let Some(cw) = close_word
            && cw < words.len()
        {
            let mut i = cw + 1;
            while i < words.len() && words.word(i) == "," {
                i += 1;
            }
            let para = words.paragraph[cw];
            let limit = (i..words.len())
                .take_while(|&k| {
                    words.paragraph[k] == para && !matches!(words.word(k), "." | "!" | "?")
                })
                .last()
                .map_or(i, |k| k + 1);
            if i < limit {
                if let Some((s0, s1)) = speaker_after(&words, i, limit)
                    && let Some(c) = cue_after_speaker(&words, s1, limit)
                {
                    attribution = Some(((s0, s1), c));
                } else if let Some(c) = cue_at(&words, i)
                    && let Some(s) = speaker_after(&words, c.1, limit)
                {
                    attribution = Some((s, c));
                }
            }
        }
        // Before: `Konashenkov said: “…”`, `He told reporters, “…”`.
        if attribution.is_none() && open_word > 0 {
            let mut e = open_word;
            while e > 0 && matches!(words.word(e - 1), ":" | "," | "“" | "\"") {
                e -= 1;
            }
            let para = words.paragraph[open_word.min(words.len() - 1)];
            let floor = (0..e)
                .rev()
                .take_while(|&k| {
                    words.paragraph[k] == para && !matches!(words.word(k), "." | "!" | "?")
                })
                .last()
                .unwrap_or(e);
            let mut k = e;
            // "said that “…”": the cue may be followed by "that".
            if k > floor && words.lower[k - 1] == "that" {
                k -= 1;
            }
            if k > floor
                && let Some(c) = (floor..k)
                    .rev()
                    .take(4)
                    .find_map(|j| cue_at(&words, j).filter(|c| c.1 == k || c.1 + 1 >= k))
                && let Some(s) =
                    speaker_before(&words, c.0, floor).or_else(|| speaker_after(&words, c.1, k))
            {
                attribution = Some((s, c));
            }
        }
        let (source, cue, rule) = match attribution {
            Some((s, c)) => (Some(s), Some(c), "rule:direct-quote"),
            None => {
                // A quote in the paragraph after an attributed one: the same speaker goes on.
                let previous = found.last().filter(|_| opens_paragraph).and_then(|f| {
                    let s = f.source?;
                    let w = word_at_or_after(&words, f.claim.1.min(text.len()));
                    let w = w.min(words.len() - 1);
                    (words.paragraph[a] <= words.paragraph[w] + 1)
                        .then(|| (word_at_or_after(&words, s.0), word_ending_by(&words, s.1)))
                });
                match previous {
                    Some(s) => (Some(s), None, "rule:direct-quote-continued"),
                    None => continue,
                }
            }
        };
        if is_headline(&words, a) && q.close.is_some() && words.paragraph[a] == 0 {
            continue;
        }
        let refers_to = source.and_then(|s| resolve(&words, s, &speakers));
        if let Some(s) = source {
            note_speaker(&words, s, &mut speakers);
        }
        found.push(Attribution {
            speech: Speech::Direct,
            claim: q.inner,
            source: source.map(|(s0, s1)| words.bytes(s0, s1)),
            cue: cue.map(|(c0, c1)| words.bytes(c0, c1)),
            refers_to,
            rule,
        });
    }

    // Indirect and mixed speech, sentence by sentence.
    let mut i = 0;
    while i < words.len() {
        let (sa, sb) = words.sentence_bounds(i);
        i = sb;
        if is_headline(&words, sa) {
            continue;
        }
        for a in indirect(&words, sa, sb, &in_quote, &mut speakers) {
            let overlaps = found
                .iter()
                .any(|f| f.claim.0 < a.claim.1 && a.claim.0 < f.claim.1);
            if !overlaps {
                found.push(a);
            }
        }
    }
    found.sort_by_key(|f| f.claim);
    found
}

/// The attributions of the sentence of words `[sa, sb)`.
fn indirect(
    words: &Words<'_>,
    sa: usize,
    sb: usize,
    in_quote: &[bool],
    speakers: &mut Vec<(usize, String, Option<Referent>)>,
) -> Vec<Attribution> {
    let end = trim_end(words, sa, sb);
    let mut out = Vec::new();
    if end <= sa {
        return out;
    }
    let mut k = sa;
    while k < end {
        let Some(found) = attribution_at(words, sa, k, end, in_quote) else {
            k += 1;
            continue;
        };
        let Found {
            claim,
            source,
            cue,
            rule,
        } = found;
        // A second cue of the same speaker ends the first claim: "…, adding that …", "… but
        // warned that …".
        let second = (claim.0 + 2..claim.1).find(|&j| {
            let joined = matches!(words.lower[j - 1].as_str(), "," | "but" | "and")
                && (LEXICON.participles.contains(words.lower[j].as_str())
                    || (words.lower[j - 1] != ","
                        && LEXICON.cues.contains(words.lower[j].as_str())));
            joined && !in_quote[j] && cue_at(words, j).is_some()
        });
        match second {
            Some(j) => {
                let mut first_end = j - 1;
                while first_end > claim.0
                    && matches!(words.lower[first_end - 1].as_str(), "," | "and" | "but")
                {
                    first_end -= 1;
                }
                out.extend(finish(
                    words,
                    (claim.0, first_end),
                    source,
                    cue,
                    in_quote,
                    speakers,
                    rule,
                ));
                let cue2 = cue_at(words, j);
                let from = clause_start(words, cue2.map_or(j + 1, |c| c.1), end);
                out.extend(finish(
                    words,
                    (from, end),
                    source,
                    cue2,
                    in_quote,
                    speakers,
                    rule,
                ));
            }
            None => out.extend(finish(words, claim, source, cue, in_quote, speakers, rule)),
        }
        break;
    }
    out
}

/// An attribution's parts, in words.
struct Found {
    claim: (usize, usize),
    source: Option<(usize, usize)>,
    cue: Option<(usize, usize)>,
    rule: &'static str,
}

/// Whether the reported clause starting at word `from` (up to `end`) is one: long enough, and
/// not an adverbial ("after the vote").
fn is_clause(words: &Words<'_>, from: usize, end: usize) -> bool {
    from + 3 <= end && !LEXICON.prepositions.contains(words.lower[from].as_str())
}

/// The attribution whose cue is word `k` of the sentence `[sa, end)`, if it is one.
fn attribution_at(
    words: &Words<'_>,
    sa: usize,
    k: usize,
    end: usize,
    in_quote: &[bool],
) -> Option<Found> {
    if in_quote[k] {
        return None;
    }
    let cue = cue_at(words, k)?;
    // "According to X, CLAIM." / "CLAIM, according to X."
    if words.lower[k] == "according" {
        let comma = (cue.1..end).find(|&j| words.word(j) == ",");
        let speaker_end = comma.unwrap_or(end);
        let source = speaker_after(words, cue.1, speaker_end).map(|(a, b)| (a, b.min(speaker_end)));
        let claim = if (sa..k).all(|j| words.is_punct(j)) {
            (comma? + 1, end)
        } else {
            let mut e = k;
            while e > sa && words.is_punct(e - 1) {
                e -= 1;
            }
            (sa, e)
        };
        return Some(Found {
            claim,
            source,
            cue: Some(cue),
            rule: "rule:according-to",
        });
    }
    let from = clause_start(words, cue.1, end);
    let clause_after = is_clause(words, from, end) && !in_quote[from..end].iter().all(|&q| q);
    let that_follows = from > cue.1 && words.lower[from - 1] == "that";
    // "X, who …, said CLAIM" and "X, speaking on …, said CLAIM": the speaker opens the
    // sentence, an aside between commas follows it.
    if k > sa && words.word(k - 1) == "," && clause_after {
        let first_comma = (sa..k).find(|&j| words.word(j) == ",");
        if let Some(c1) = first_comma
            && c1 < k - 1
            && let Some(source) = speaker_after(words, sa, c1)
            && source.1 == c1
        {
            return Some(Found {
                claim: (from, end),
                source: Some(source),
                cue: Some(cue),
                rule: "rule:said-that",
            });
        }
    }
    // "…, saying (that) CLAIM": the sentence's subject is the speaker.
    if LEXICON.participles.contains(words.lower[k].as_str())
        && k > sa
        && words.word(k - 1) == ","
        && clause_after
    {
        let source = speaker_after(words, sa, k);
        if source.is_some() {
            return Some(Found {
                claim: (from, end),
                source,
                cue: Some(cue),
                rule: "rule:said-that",
            });
        }
    }
    // "X said (that) CLAIM." — unless the clause is short and the sentence reads "CLAIM, X said
    // (on Tuesday)."
    let comma_before = (sa..k).rev().find(|&j| words.word(j) == ",");
    let floor = comma_before.map_or(sa, |c| c + 1);
    if let Some(source) = speaker_before(words, k, floor)
        && (that_follows || (clause_after && comma_before.is_none()))
    {
        return Some(Found {
            claim: (from, end),
            source: Some(source),
            cue: Some(cue),
            rule: "rule:said-that",
        });
    }
    // "CLAIM, X said." / "CLAIM, said X."
    if let Some(comma) = comma_before
        && comma > sa + 2
    {
        if let Some(source) = speaker_before(words, k, comma + 1)
            && source.0 == comma + 1
        {
            return Some(Found {
                claim: (sa, comma),
                source: Some(source),
                cue: Some(cue),
                rule: "rule:said-after",
            });
        }
        if comma + 1 == k
            && let Some(source) = speaker_after(words, cue.1, end)
        {
            return Some(Found {
                claim: (sa, comma),
                source: Some(source),
                cue: Some(cue),
                rule: "rule:said-after",
            });
        }
    }
    if let Some(source) = speaker_before(words, k, floor)
        && clause_after
    {
        return Some(Found {
            claim: (from, end),
            source: Some(source),
            cue: Some(cue),
            rule: "rule:said-that",
        });
    }
    None
}

fn finish(
    words: &Words<'_>,
    claim: (usize, usize),
    source: Option<(usize, usize)>,
    cue: Option<(usize, usize)>,
    in_quote: &[bool],
    speakers: &mut Vec<(usize, String, Option<Referent>)>,
    rule: &'static str,
) -> Option<Attribution> {
    let (a, b) = claim;
    let mut a = skip_dateline(words, a, b);
    while a < b && (words.is_punct(a) && !matches!(words.word(a), "“" | "\"")) {
        a += 1;
    }
    let b = trim_end(words, a, b);
    if b < a + 3 {
        return None;
    }
    let quoted = (a..b).any(|k| in_quote[k]);
    let refers_to = source.and_then(|s| resolve(words, s, speakers));
    if let Some(s) = source {
        note_speaker(words, s, speakers);
    }
    Some(Attribution {
        speech: if quoted {
            Speech::Mixed
        } else {
            Speech::Indirect
        },
        claim: words.bytes(a, b),
        source: source.map(|(s0, s1)| words.bytes(s0, s1)),
        cue: cue.map(|(c0, c1)| words.bytes(c0, c1)),
        refers_to,
        rule,
    })
}

/// Past a dateline that opens a paragraph ("MOSCOW —", "KYIV, Ukraine (Reuters) -").
fn skip_dateline(words: &Words<'_>, a: usize, b: usize) -> usize {
    let opens_paragraph = a == 0 || words.paragraph[a - 1] != words.paragraph[a];
    if !opens_paragraph || !words.word(a).chars().all(|c| !c.is_lowercase()) {
        return a;
    }
    (a..b.min(a + 8))
        .find(|&k| matches!(words.word(k), "—" | "–" | "-" | "--"))
        .map_or(a, |k| k + 1)
}

/// What kind of speaker words `[a, b)` name.
fn kind_of(words: &Words<'_>, a: usize, b: usize) -> Option<Referent> {
    let lex = &*LEXICON;
    if b == a + 1
        && let Some(&k) = lex.pronouns.get(words.lower[a].as_str())
    {
        return Some(k);
    }
    let last = words.lower[b - 1].as_str();
    if lex.roles.contains(last) {
        return Some(if last.ends_with('s') && !last.ends_with("ss") {
            Referent::Group
        } else if lex.bodies.contains(last) {
            Referent::Body
        } else {
            Referent::Person
        });
    }
    // A name: a person when it ends in a capitalised word that is not an acronym.
    let w = words.word(b - 1);
    if w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) {
        return Some(Referent::Body);
    }
    Some(Referent::Person)
}

fn note_speaker(
    words: &Words<'_>,
    (a, b): (usize, usize),
    speakers: &mut Vec<(usize, String, Option<Referent>)>,
) {
    if b == a + 1 && LEXICON.pronouns.contains_key(words.lower[a].as_str()) {
        return;
    }
    let (s, e) = words.bytes(a, b);
    speakers.push((a, words.text[s..e].to_string(), kind_of(words, a, b)));
}

/// For a pronoun speaker, the nearest earlier speaker of its kind (or any, failing that).
fn resolve(
    words: &Words<'_>,
    (a, b): (usize, usize),
    speakers: &[(usize, String, Option<Referent>)],
) -> Option<String> {
    if b != a + 1 {
        return None;
    }
    let kind = *LEXICON.pronouns.get(words.lower[a].as_str())?;
    let earlier = speakers.iter().rev().filter(|(w, _, _)| *w < a);
    let fitting = earlier.clone().find(|(_, _, k)| {
        *k == Some(kind) || (kind == Referent::Group && *k == Some(Referent::Body))
    });
    fitting
        .or_else(|| earlier.clone().next())
        .map(|(_, name, _)| name.clone())
}

/// Site furniture: from a tail heading ("You May Also Like") to the end, and lines that are
/// furniture on their own (credits, "originally published"), as byte ranges.
pub fn boilerplate(text: &str) -> Vec<(usize, usize)> {
    let lex = &*LEXICON;
    let mut out = Vec::new();
    let mut offset = 0;
    let half = text.len() / 2;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = start + (line.len() - line.trim_start().len());
        let lower = trimmed.to_lowercase();
        let short = trimmed.split_whitespace().count() <= 8;
        if start >= half
            && short
            && lex
                .boilerplate_tail
                .iter()
                .any(|t| lower.starts_with(t.as_str()))
        {
            let end = text.trim_end().len();
            out.push((lead, end));
            break;
        }
        let hits = lex
            .boilerplate_line
            .iter()
            .any(|t| lower.starts_with(t.as_str()) || (t.len() > 12 && lower.contains(t.as_str())));
        if hits && trimmed.split_whitespace().count() <= 40 {
            out.push((lead, lead + trimmed.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, String, String, String)> {
        let s =
            |r: Option<(usize, usize)>| r.map_or(String::new(), |(a, b)| text[a..b].to_string());
        attributions(text)
            .into_iter()
            .map(|a| (a.speech.name(), s(Some(a.claim)), s(a.source), s(a.cue)))
            .collect()
    }

    fn one(
        speech: &'static str,
        claim: &str,
        source: &str,
        cue: &str,
    ) -> (&'static str, String, String, String) {
        (speech, claim.into(), source.into(), cue.into())
    }

    #[test]
    fn direct_quotes_with_the_speaker_after_or_before() {
        let text = "“We have completed the drills and the units will return,” Maj. Gen. Igor Konashenkov told reporters.\n\nPeskov said: “No one is going to attack anyone at all.”";
        assert_eq!(
            found(text),
            [
                one(
                    "direct",
                    "We have completed the drills and the units will return",
                    "Maj. Gen. Igor Konashenkov",
                    "told reporters"
                ),
                one(
                    "direct",
                    "No one is going to attack anyone at all.",
                    "Peskov",
                    "said"
                ),
            ]
        );
    }

    #[test]
    fn indirect_speech_in_its_three_orders() {
        let text = "The ministry's chief spokesman said on Tuesday that some units were returning to their bases.\n\nSome 130,000 soldiers remain near the border, Western officials said.\n\nAccording to NATO, more troops had arrived overnight.";
        assert_eq!(
            found(text),
            [
                one(
                    "indirect",
                    "some units were returning to their bases",
                    "The ministry's chief spokesman",
                    "said"
                ),
                one(
                    "indirect",
                    "Some 130,000 soldiers remain near the border",
                    "Western officials",
                    "said"
                ),
                one(
                    "indirect",
                    "more troops had arrived overnight",
                    "NATO",
                    "According to"
                ),
            ]
        );
    }

    #[test]
    fn a_pronoun_speaker_refers_to_the_nearest_fitting_one() {
        let text = "Dmitry Peskov said the talks would go on.\n\nThe ministry said units had left. He said the West was ignoring Russia's concerns.";
        let all = attributions(text);
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].refers_to.as_deref(), Some("Dmitry Peskov"));
    }

    #[test]
    fn a_quote_split_by_its_attribution_is_one_claim_with_either_marks() {
        for (open, close) in [("“", "”"), ("\"", "\"")] {
            let text = format!(
                "{open}Nobody is going to be left without a place to unload,{close} Ferreira said, {open}and we will adjust the plan if problems appear.{close}"
            );
            assert_eq!(
                found(&text),
                [one(
                    "direct",
                    "Nobody is going to be left without a place to unload",
                    "Ferreira",
                    "said"
                )],
                "{open}"
            );
            // A quotation inside a clause is mixed speech, whatever its marks.
            let text = format!(
                "Officials described the plan as {open}a deliberate attempt to mislead the public,{close} Smith said."
            );
            assert!(
                found(&text).iter().all(|f| f.0 != "direct"),
                "{open}: {:?}",
                found(&text)
            );
        }
    }

    #[test]
    fn known_speakers_are_speakers_whatever_their_case() {
        let text = "The images were doctored, bellingcat said on Friday.";
        assert_eq!(found(text), []);
        let known = KnownSpeakers::new(["Bellingcat"]);
        let got: Vec<String> = attributions_by(text, &known)
            .into_iter()
            .filter_map(|a| a.source.map(|(s, e)| text[s..e].to_string()))
            .collect();
        assert_eq!(got, ["bellingcat"]);
    }

    #[test]
    fn what_only_looks_like_attribution_is_left_alone() {
        let text = "Russia says some troops pulling back\n\nThe general is said to be furious about the leak.\n\nMany Russians believe the drills are routine.";
        assert_eq!(found(text), []);
    }

    #[test]
    fn furniture_after_the_article_is_boilerplate() {
        let text = "Units returned to base, the ministry said on Tuesday after weeks of drills near the border with Ukraine.\n\nPhoto: Reuters / Maxim Shemetov\n\nMore paragraphs of the article follow here with more words.\n\nYou May Also Like\n\nSome teaser headline\n\nThis article originally belongs to nbcnews.com";
        let got: Vec<&str> = boilerplate(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "Photo: Reuters / Maxim Shemetov",
                "You May Also Like\n\nSome teaser headline\n\nThis article originally belongs to nbcnews.com"
            ]
        );
    }
}
