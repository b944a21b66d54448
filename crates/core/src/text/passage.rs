//! The claim inside a sentence: a similar passage is a whole sentence ("Units … are returning to
//! their bases, Maj. Gen. Igor Konashenkov told reporters."), but the claim a new CLAIM span
//! should cover is the statement without the attribution and the full stop, as an analyst would
//! select it. The attribution stays in the document, for a SOURCE span of its own.

/// Reporting words that mark a clause as attribution ("…, X said on Tuesday").
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "reported",
    "reports",
    "announced",
    "claimed",
    "claims",
    "insisted",
    "noted",
    "explained",
    "warned",
    "according",
    "quoted",
    "confirmed",
    "wrote",
    "writes",
];

/// An attribution clause is short: longer tails are more likely part of the claim.
const MAX_ATTRIBUTION_WORDS: usize = 12;

fn is_attribution(clause: &str) -> bool {
    let words: Vec<String> = clause
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    words.len() <= MAX_ATTRIBUTION_WORDS && words.iter().any(|w| REPORTING.contains(&w.as_str()))
}

/// Quotation marks that open or close a quote (straight, curly, guillemets).
const QUOTES: &str = "\"'“”„‘’«»‹›";

/// `[start, end)` in code points of `sentence` that the claim covers: without a leading
/// "According to X," or a trailing ", X said …" clause, without the final punctuation, and
/// without the quotation marks around a quote (as an analyst marks a quoted claim).
pub fn claim_extent(sentence: &str) -> (u32, u32) {
    let chars: Vec<char> = sentence.chars().collect();
    let mut start = 0;
    let mut end = chars.len();
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    // A leading "According to Interfax," goes.
    if text(0, end).to_lowercase().starts_with("according to")
        && let Some(comma) = chars.iter().position(|&c| c == ',')
    {
        start = comma + 1;
    }
    // A trailing ", Konashenkov said in a statement." goes.
    if let Some(comma) = (start..end).rev().find(|&i| chars[i] == ',')
        && is_attribution(&text(comma + 1, end))
    {
        end = comma;
    }
    let trailing = |c: char| c.is_whitespace() || ".!?;:,".contains(c);
    while end > start && trailing(chars[end - 1]) {
        end -= 1;
    }
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    // A quote's marks go as a pair: the opening one, then the closing one with what precedes it.
    if start < end && QUOTES.contains(chars[start]) {
        start += 1;
        while end > start && (trailing(chars[end - 1]) || QUOTES.contains(chars[end - 1])) {
            end -= 1;
        }
    }
    if start >= end {
        return (0, chars.len() as u32);
    }
    (start as u32, end as u32)
}

/// Code points of a passage's paragraph kept at most on each side of it.
const CONTEXT_CHARS: usize = 300;

/// The paragraph around `[start, end)` (code points) of `text`, at most 300 code points on each
/// side and then cut at a space: `(its start, its text)`. What a similar passage's ends can be
/// moved into before it is annotated.
pub fn paragraph_around(text: &str, start: u32, end: u32) -> (u32, String) {
    let chars: Vec<char> = text.chars().collect();
    let s = (start as usize).min(chars.len());
    let e = (end as usize).clamp(s, chars.len());
    let floor = s.saturating_sub(CONTEXT_CHARS);
    let mut a = s;
    while a > floor && chars[a - 1] != '\n' {
        a -= 1;
    }
    if a > 0 && chars[a - 1] != '\n' {
        // Cut inside the paragraph: from the next word on.
        while a < s && !chars[a].is_whitespace() {
            a += 1;
        }
        while a < s && chars[a].is_whitespace() {
            a += 1;
        }
    }
    let ceiling = (e + CONTEXT_CHARS).min(chars.len());
    let mut b = e;
    while b < ceiling && chars[b] != '\n' {
        b += 1;
    }
    if b < chars.len() && chars[b] != '\n' {
        while b > e && !chars[b - 1].is_whitespace() {
            b -= 1;
        }
        while b > e && chars[b - 1].is_whitespace() {
            b -= 1;
        }
    }
    (a as u32, chars[a..b].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_around_a_passage_is_kept_whole_or_cut_at_a_word() {
        let text = "Headline\n\nFirst sentence here. Troops are returning, he said. Last one.\nNext paragraph.";
        let at = |needle: &str| text[..text.find(needle).unwrap()].chars().count() as u32;
        let start = at("Troops");
        let end = at(" Last");
        assert_eq!(
            paragraph_around(text, start, end),
            (
                at("First"),
                "First sentence here. Troops are returning, he said. Last one.".to_string()
            )
        );
        // A long paragraph: at most 300 code points a side, from and to a whole word.
        let long = format!("{} middle {}", "word ".repeat(100), " word".repeat(100));
        let start = long.find("middle").unwrap() as u32;
        let (from, context) = paragraph_around(&long, start, start + 6);
        assert!(start - from <= 300 && context.len() - (start - from) as usize - 6 <= 300);
        assert!(
            context.starts_with("word ") && context.ends_with(" word"),
            "{context}"
        );
        assert_eq!(&long[from as usize..from as usize + context.len()], context);
        // Offsets are code points.
        let text = "«Été» — les troupes reviennent.";
        let start = 8;
        assert_eq!(
            paragraph_around(text, start, start + 3),
            (0, text.to_string())
        );
    }

    #[test]
    fn quotation_marks_around_a_quoted_claim_are_left_out() {
        assert_eq!(
            claim(
                "“We will not sign a deal that leaves the towns without a crossing,” Mayor Ilse Vasko told reporters."
            ),
            "We will not sign a deal that leaves the towns without a crossing"
        );
        assert_eq!(
            claim("\"The works will take three years.\""),
            "The works will take three years"
        );
        // Marks inside the claim stay.
        assert_eq!(
            claim("The ministry called the drills “routine”, Konashenkov said."),
            "The ministry called the drills “routine”"
        );
    }

    fn claim(sentence: &str) -> String {
        let (a, b) = claim_extent(sentence);
        sentence
            .chars()
            .skip(a as usize)
            .take((b - a) as usize)
            .collect()
    }

    #[test]
    fn the_attribution_and_the_full_stop_are_left_out() {
        assert_eq!(
            claim(
                "Units have completed their drills and are returning to their bases, Maj. Gen. Igor Konashenkov told reporters."
            ),
            "Units have completed their drills and are returning to their bases"
        );
        assert_eq!(
            claim("According to Interfax, the units began loading onto trains."),
            "the units began loading onto trains"
        );
        assert_eq!(
            claim("Russia has deployed some 130,000 troops around Ukraine on three sides."),
            "Russia has deployed some 130,000 troops around Ukraine on three sides"
        );
    }

    #[test]
    fn a_comma_inside_the_claim_is_kept() {
        assert_eq!(
            claim("Moscow, which denies any plan to invade, moved troops to the border."),
            "Moscow, which denies any plan to invade, moved troops to the border"
        );
        assert_eq!(claim("…"), "…");
    }
}
