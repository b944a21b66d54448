//! Word tokens close to spaCy's English tokenizer, so that exported spans line up with the
//! tokens spaCy, Prodigy and CoNLL readers see: text is cut at spaces, runs of other whitespace
//! are tokens of their own, and punctuation is split off words by prefix, suffix and infix rules
//! with exceptions for abbreviations ("Mr.", "U.S.", "Gen.") and contractions ("do" + "n't").
//!
//! Exports also pass the span edges as forced boundaries, so every span starts and ends on a
//! token edge even where spaCy's rules would keep a word whole.

/// A token over a text, in UTF-8 byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Followed by one space that belongs to the token (spaCy's `whitespace_`).
    pub space_after: bool,
    /// The token is whitespace (a line break, or spaces beyond the first).
    pub is_space: bool,
}

/// Abbreviations that keep their period, as spaCy's English exceptions do.
const ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Maj.", "Sgt.", "Capt.", "Cmdr.",
    "Adm.", "Gov.", "Sen.", "Rep.", "Rev.", "St.", "Jr.", "Sr.", "Inc.", "Ltd.", "Co.", "Corp.",
    "vs.", "etc.", "e.g.", "i.e.", "a.m.", "p.m.", "U.S.", "U.K.", "U.N.", "E.U.", "No.", "Jan.",
    "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Mt.",
    "Ft.", "Gens.", "Messrs.", "Bros.", "Ave.", "Blvd.", "Dept.", "Univ.", "approx.", "est.",
];

/// Whether a word is kept whole with its period (an abbreviation, or an initial like "J.").
pub fn is_abbreviation(word: &str) -> bool {
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_alphabetic())
}

fn is_prefix_char(c: char) -> bool {
    matches!(
        c,
        '"' | '“'
            | '‘'
            | '\''
            | '('
            | '['
            | '{'
            | '<'
            | '«'
            | '‹'
            | '¡'
            | '¿'
            | '$'
            | '£'
            | '€'
            | '¥'
            | '#'
            | '§'
            | '*'
            | '+'
            | '='
            | '…'
            | '—'
            | '–'
            | '„'
            | '`'
            | '/'
            | '%'
            | '&'
            | ':'
            | ','
            | ';'
            | '!'
            | '?'
    )
}

fn is_suffix_char(c: char) -> bool {
    matches!(
        c,
        '"' | '”'
            | '’'
            | '\''
            | ')'
            | ']'
            | '}'
            | '>'
            | '»'
            | '›'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
            | '°'
            | '…'
            | '—'
            | '–'
            | '“'
            | '‘'
            | '*'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '~')
}

fn looks_like_url(s: &str) -> bool {
    let starts = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("http://")
        || starts("https://")
        || starts("www.")
        || (s.contains('@') && s.contains('.') && !s.starts_with('@'))
}

/// Length in bytes of the prefix to split off `s`, if any.
fn prefix_len(s: &str) -> Option<usize> {
    if s.starts_with("...") {
        return Some(3);
    }
    let c = s.chars().next()?;
    // A lone `-` before a digit is a sign ("-5"); before letters or alone it is punctuation.
    if is_prefix_char(c) && s.len() > c.len_utf8() {
        return Some(c.len_utf8());
    }
    None
}

/// Length in bytes of the suffix to split off `s`, if any.
fn suffix_len(s: &str) -> Option<usize> {
    let mut rev = s.chars().rev();
    let chars = [
        rev.next().unwrap_or(' '),
        rev.next().unwrap_or(' '),
        rev.next().unwrap_or(' '),
    ];
    let n = s.chars().take(5).count();
    if n < 2 {
        return None;
    }
    if s.ends_with("...") && n > 3 {
        return Some(3);
    }
    for clitic in ["'s", "’s", "'S", "’S", "'m", "’m", "'d", "’d"] {
        if s.ends_with(clitic) && n > 2 {
            return Some(clitic.len());
        }
    }
    for clitic in [
        "n't", "n’t", "N'T", "'ll", "’ll", "'re", "’re", "'ve", "’ve",
    ] {
        if s.ends_with(clitic) && n > 3 {
            return Some(clitic.len());
        }
    }
    let last = chars[0];
    if is_suffix_char(last) {
        return Some(last.len_utf8());
    }
    if last == '.' {
        let prev = chars[1];
        let split = prev.is_lowercase()
            || prev.is_ascii_digit()
            || matches!(prev, ')' | ']' | '"' | '\'' | '%' | '”' | '’')
            || (prev.is_uppercase() && n > 2 && chars[2].is_uppercase());
        if split {
            return Some(1);
        }
    }
    None
}

/// Byte offsets inside `s` where an infix rule cuts it: around the infix, as (start, end).
fn infixes(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let end = chars.get(i + 1).map_or(s.len(), |&(b, _)| b);
        let hit = match (prev, c, next) {
            (_, '…', _) => true,
            (Some(p), '.', Some('.')) if p != '.' && s[at..].starts_with("...") => {
                out.push((at, at + 3));
                i += 3;
                continue;
            }
            (Some(p), h, Some(n)) if is_hyphen(h) => {
                (p.is_alphabetic() || p.is_ascii_digit()) && n.is_alphabetic()
                    || (p.is_ascii_digit() && (n.is_ascii_digit() || n == '-'))
            }
            (Some(p), '+' | '*' | '^', Some(n)) => p.is_ascii_digit() && n.is_ascii_digit(),
            (Some(p), ',', Some(n)) => p.is_alphabetic() && n.is_alphabetic(),
            (Some(p), ':' | '<' | '>' | '=' | '/', Some(n)) => {
                (p.is_alphabetic() || p.is_ascii_digit()) && n.is_alphabetic()
            }
            (Some(p), '.', Some(n)) => {
                (p.is_lowercase() || matches!(p, '"' | '”' | '’'))
                    && (n.is_uppercase() || matches!(n, '"' | '“'))
            }
            _ => false,
        };
        if hit {
            out.push((at, end));
        }
        i += 1;
    }
    out
}

/// Splits a chunk without whitespace, `text[start..end]`, into tokens (byte ranges).
fn split_chunk(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    // Most chunks are plain words: nothing to split off.
    if text.as_bytes()[start..end]
        .iter()
        .all(u8::is_ascii_alphanumeric)
    {
        out.push((start, end));
        return;
    }
    let mut s = start;
    let mut e = end;
    let mut suffixes = Vec::new();
    loop {
        let rest = &text[s..e];
        if rest.is_empty() || is_abbreviation(rest) || looks_like_url(rest) {
            break;
        }
        let mut moved = false;
        if let Some(n) = prefix_len(rest) {
            out.push((s, s + n));
            s += n;
            moved = true;
        }
        let rest = &text[s..e];
        if !rest.is_empty()
            && !is_abbreviation(rest)
            && !looks_like_url(rest)
            && let Some(n) = suffix_len(rest)
        {
            suffixes.push((e - n, e));
            e -= n;
            moved = true;
        }
        if !moved {
            break;
        }
    }
    if s < e {
        let middle = &text[s..e];
        let whole = middle.bytes().all(|b| b.is_ascii_alphanumeric())
            || is_abbreviation(middle)
            || looks_like_url(middle);
        if whole {
            out.push((s, e));
        } else {
            let mut at = s;
            for (a, b) in infixes(middle) {
                if s + a > at {
                    out.push((at, s + a));
                }
                out.push((s + a, s + b));
                at = s + b;
            }
            if at < e {
                out.push((at, e));
            }
        }
    }
    out.extend(suffixes.into_iter().rev());
}

/// Tokenises `text`. `forced` holds byte offsets (sorted or not) where a token must end and
/// the next begin, e.g. the edges of annotated spans; a token that straddles one is cut there.
pub fn tokenize(text: &str, forced: &[usize]) -> Vec<Token> {
    let mut ranges: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, is_space)
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            let mut j = i;
            while j < text.len() {
                let d = text[j..].chars().next().unwrap_or('x');
                if !d.is_whitespace() {
                    break;
                }
                j += d.len_utf8();
            }
            // The first space after a word is that word's trailing whitespace; the rest of
            // the run is a token of its own (spaCy keeps "\n" and extra spaces as tokens).
            let mut ws_start = i;
            if bytes[i] == b' ' && ranges.last().is_some_and(|&(_, e, sp)| e == i && !sp) {
                ws_start = i + 1;
            }
            if ws_start < j {
                ranges.push((ws_start, j, true));
            }
            i = j;
        } else {
            let mut j = i;
            while j < text.len() {
                let d = text[j..].chars().next().unwrap_or(' ');
                if d.is_whitespace() {
                    break;
                }
                j += d.len_utf8();
            }
            let mut parts = Vec::new();
            split_chunk(text, i, j, &mut parts);
            ranges.extend(parts.into_iter().map(|(a, b)| (a, b, false)));
            i = j;
        }
    }
    let mut forced: Vec<usize> = forced.to_vec();
    forced.sort_unstable();
    forced.dedup();
    let mut cut = Vec::with_capacity(ranges.len());
    let mut f = 0;
    for (a, b, sp) in ranges {
        while f < forced.len() && forced[f] <= a {
            f += 1;
        }
        let mut at = a;
        while f < forced.len() && forced[f] < b {
            if text.is_char_boundary(forced[f]) && forced[f] > at {
                cut.push((at, forced[f], sp));
                at = forced[f];
            }
            f += 1;
        }
        cut.push((at, b, sp));
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(cut.len());
    for (k, &(a, b, sp)) in cut.iter().enumerate() {
        let next_start = cut.get(k + 1).map_or(text.len(), |&(s, _, _)| s);
        tokens.push(Token {
            start: a,
            end: b,
            space_after: !sp && next_start == b + 1 && bytes.get(b) == Some(&b' '),
            is_space: sp,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, &[])
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn punctuation_is_split_from_words() {
        assert_eq!(
            words("Troops, he said, are leaving."),
            ["Troops", ",", "he", "said", ",", "are", "leaving", "."]
        );
        assert_eq!(
            words("“We will return,” Konashenkov said."),
            [
                "“",
                "We",
                "will",
                "return",
                ",",
                "”",
                "Konashenkov",
                "said",
                "."
            ]
        );
        assert_eq!(words("(Reuters)"), ["(", "Reuters", ")"]);
    }

    #[test]
    fn abbreviations_initials_and_numbers_stay_whole() {
        assert_eq!(
            words("Maj. Gen. Igor Konashenkov of the U.S. said J. Smith left."),
            [
                "Maj.",
                "Gen.",
                "Igor",
                "Konashenkov",
                "of",
                "the",
                "U.S.",
                "said",
                "J.",
                "Smith",
                "left",
                "."
            ]
        );
        assert_eq!(
            words("over 100,000 troops and 3.5%"),
            ["over", "100,000", "troops", "and", "3.5", "%"]
        );
    }

    #[test]
    fn clitics_hyphens_and_dates_are_split_as_spacy_does() {
        assert_eq!(words("Russia's"), ["Russia", "'s"]);
        assert_eq!(words("don't"), ["do", "n't"]);
        assert_eq!(words("well-known"), ["well", "-", "known"]);
        assert_eq!(words("2022-02-15"), ["2022", "-", "02", "-", "15"]);
        assert_eq!(words("NATO."), ["NATO", "."]);
    }

    #[test]
    fn urls_stay_whole() {
        assert_eq!(
            words("see https://example.com/a-b?x=1 now"),
            ["see", "https://example.com/a-b?x=1", "now"]
        );
    }

    #[test]
    fn line_breaks_and_extra_spaces_are_tokens_and_single_spaces_are_not() {
        let text = "One.\n\nTwo  three";
        let toks = tokenize(text, &[]);
        let shown: Vec<(&str, bool, bool)> = toks
            .iter()
            .map(|t| (&text[t.start..t.end], t.space_after, t.is_space))
            .collect();
        assert_eq!(
            shown,
            [
                ("One", false, false),
                (".", false, false),
                ("\n\n", false, true),
                ("Two", true, false),
                (" ", false, true),
                ("three", false, false)
            ]
        );
    }

    #[test]
    fn forced_boundaries_cut_tokens() {
        let text = "Konashenkov's troops";
        let toks = tokenize(text, &[4, 20]);
        let got: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(got, ["Kona", "shenkov", "'s", "troops"]);
    }

    #[test]
    fn tokens_cover_the_text_in_order() {
        let text = "A “quoted” claim—with dashes… and emoji 🇺🇦, e.g. this.";
        let toks = tokenize(text, &[]);
        let mut rebuilt = String::new();
        let mut at = 0;
        for t in &toks {
            assert!(t.start >= at);
            rebuilt.push_str(&text[at..t.start]);
            rebuilt.push_str(&text[t.start..t.end]);
            at = t.end;
        }
        rebuilt.push_str(&text[at..]);
        assert_eq!(rebuilt, text);
    }
}
