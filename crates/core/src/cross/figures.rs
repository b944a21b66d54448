//! Figures in QUANTITY spans: "over 100,000 troops" → 100000, unit "troops", qualifier "over";
//! "some 130,000" → 130000, qualifier "some"; "between 100,000 and 130,000 troops" → 100000 up
//! to 130000. Two figures of one claim group disagree when they count the same thing (the same
//! unit, or one has none) and state different numbers: "over 100,000" and "some 130,000" are
//! flagged although both may be true, because an analyst wants to see that outlets differ.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A number parsed from a QUANTITY span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Figure {
    /// The number stated (the lower end of a range).
    pub value: f64,
    /// The upper end of a range ("100,000 to 130,000"), else `None`.
    pub upper: Option<f64>,
    /// What is counted, lower case: "troops", "russian troops", "percent".
    pub unit: Option<String>,
    /// The hedge before the number, lower case: "over", "some", "more than", "nearly".
    pub qualifier: Option<String>,
}

/// Hedges recognised before a number, longest first so "more than" wins over "more".
const QUALIFIERS: &[&str] = &[
    "an estimated",
    "in excess of",
    "upwards of",
    "as many as",
    "as few as",
    "no more than",
    "no fewer than",
    "more than",
    "fewer than",
    "less than",
    "at least",
    "at most",
    "close to",
    "up to",
    "roughly",
    "approximately",
    "around",
    "about",
    "nearly",
    "almost",
    "over",
    "under",
    "above",
    "below",
    "some",
    "estimated",
    "exactly",
    "just",
    "only",
    "approx",
    "c.",
    "~",
];

const SMALL_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("dozen", 12.0),
    ("a dozen", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("a hundred", 100.0),
    ("hundred", 100.0),
    ("a thousand", 1e3),
];

const SCALES: &[(&str, f64)] = &[
    ("dozen", 12.0),
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("k", 1e3),
    ("million", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("m", 1e6),
    ("billion", 1e9),
    ("bn", 1e9),
    ("b", 1e9),
    ("trillion", 1e12),
    ("tn", 1e12),
];

/// Words that end the unit: what follows is where or when, not what.
const UNIT_STOPS: &[&str] = &[
    "near",
    "in",
    "on",
    "at",
    "around",
    "along",
    "to",
    "from",
    "across",
    "inside",
    "outside",
    "into",
    "by",
    "of",
    "for",
    "with",
    "who",
    "that",
    "which",
    "and",
    "or",
    "since",
    "during",
    "over",
    "under",
    "within",
    "close",
    "amassed",
    "stationed",
    "deployed",
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
];

/// A number: digits with thousands separators and a decimal part, or a number word.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<&str> = SMALL_NUMBERS.iter().map(|(w, _)| *w).collect();
    #[allow(clippy::expect_used)] // a constant pattern, checked by the tests
    Regex::new(&format!(
        r"(?i)(?:^|[^\w.,])(?P<num>\d{{1,3}}(?:[,\u{{202f}}\u{{a0}} ]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:{})\b)(?:\s*(?P<scale>dozen|hundred|thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b)\b)?\s*(?P<pct>%|per\s?cent\b|percent\b)?",
        words.join("|")
    ))
    .expect("figure pattern")
});

/// A second number after "to", "-", "and" or "–": the upper end of a range.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"(?i)^\s*(?:-|–|—|to|and)\s*").expect("range pattern")
});

fn number_value(raw: &str) -> Option<f64> {
    let lower = raw.to_lowercase();
    if let Some((_, v)) = SMALL_NUMBERS.iter().find(|(w, _)| *w == lower) {
        return Some(*v);
    }
    let digits: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

fn scale_value(raw: Option<&str>) -> f64 {
    raw.and_then(|s| {
        let s = s.to_lowercase();
        SCALES.iter().find(|(w, _)| *w == s).map(|(_, v)| *v)
    })
    .unwrap_or(1.0)
}

/// The words before the number, as a known hedge.
fn qualifier(before: &str) -> Option<String> {
    let words: String = before
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The hedge is the whole of the words or their last ones (after a space).
    let ends_with_words = |q: &str| {
        words
            .strip_suffix(q)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
    };
    QUALIFIERS
        .iter()
        .filter(|q| ends_with_words(q))
        .max_by_key(|q| q.len())
        .map(|q| q.to_string())
}

/// What follows the number up to a preposition or punctuation, as the unit.
fn unit(after: &str) -> Option<String> {
    let mut words = Vec::new();
    for raw in after.split_whitespace() {
        let ends_clause = raw.ends_with([',', ';', ':', '.', ')', '"', '”']);
        let word: String = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if word.is_empty() || UNIT_STOPS.contains(&word.as_str()) {
            break;
        }
        let word = word.strip_suffix("'s").unwrap_or(&word).to_string();
        words.push(word);
        if ends_clause || words.len() == 3 {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Parses the first figure in `text`; `None` when it holds no number.
pub fn parse(text: &str) -> Option<Figure> {
    let caps = NUMBER.captures(text)?;
    let num = caps.name("num")?;
    let mut value =
        number_value(num.as_str())? * scale_value(caps.name("scale").map(|m| m.as_str()));
    let whole = caps.get(0)?;
    let mut rest = &text[whole.end()..];
    let mut unit_text = if caps.name("pct").is_some() {
        Some("percent".to_string())
    } else {
        None
    };
    let mut upper = None;
    let before = &text[..num.start()];
    let qual = qualifier(before);
    if let Some(sep) = RANGE.find(rest)
        && let Some(second) = NUMBER.captures(&rest[sep.end()..])
        && second.get(0).is_some_and(|m| m.start() == 0)
        && let Some(n) = second.name("num").and_then(|m| number_value(m.as_str()))
    {
        let second_scale = second.name("scale").map(|m| m.as_str());
        let scale = scale_value(second_scale);
        // "1.5 to 2 million": the scale written once applies to both ends.
        if second_scale.is_some() && caps.name("scale").is_none() {
            value *= scale;
        }
        let hi = n * scale;
        if hi > value {
            upper = Some(hi);
            if second.name("pct").is_some() {
                unit_text = Some("percent".into());
            }
            rest = &rest[sep.end() + second.get(0).map_or(0, |m| m.end())..];
        }
    }
    Some(Figure {
        value,
        upper,
        unit: unit_text.or_else(|| unit(rest)),
        qualifier: qual,
    })
}

/// Where the figures of a text are, as byte ranges, for QUANTITY suggestions: a number with
/// its hedge, currency sign, scale, percent sign and the word after it that says what is
/// counted ("over 100,000 troops", "$4.2 million", "12 percent"). A number with none of scale,
/// percent or a counted word (a day, a year, a street number) is not one.
pub fn locate(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for caps in NUMBER.captures_iter(text) {
        let Some(num) = caps.name("num") else {
            continue;
        };
        let mut start = num.start();
        let mut end = [caps.name("num"), caps.name("scale"), caps.name("pct")]
            .into_iter()
            .flatten()
            .map(|m| m.end())
            .max()
            .unwrap_or(num.end());
        let mut measured = caps.name("scale").is_some() || caps.name("pct").is_some();
        let digits = num.as_str();
        let year = digits.len() == 4
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits.starts_with("19") || digits.starts_with("20"));
        if year && !measured {
            continue;
        }
        if let Some(sign) = text[..start]
            .chars()
            .next_back()
            .filter(|c| "$£€¥".contains(*c))
        {
            start -= sign.len_utf8();
            measured = true;
        }
        // What is counted: the next word, when it is one ("troops", not "in" or "and").
        let after = &text[end..];
        let word_start = after.len() - after.trim_start().len();
        let word: String = after[word_start..]
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '-')
            .collect();
        // Not the hedge of the next figure ("500 more than 1,000 troops").
        let next = after[word_start..].to_lowercase();
        let hedge = QUALIFIERS.iter().any(|q| {
            q.contains(' ')
                && next.starts_with(q)
                && next[q.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        });
        if word_start <= 1
            && !word.is_empty()
            && !hedge
            && word.chars().next().is_some_and(char::is_lowercase)
            && !UNIT_STOPS.contains(&word.as_str())
        {
            end += word_start + word.len();
            measured = true;
        }
        if !measured {
            continue;
        }
        // The hedge before it: "over", "more than", "some".
        let before = text[..start].trim_end();
        let lower = before.to_lowercase();
        if lower.len() == before.len()
            && let Some(q) = QUALIFIERS.iter().find(|q| {
                lower.ends_with(*q)
                    && lower[..lower.len() - q.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
        {
            start = before.len() - q.len();
        }
        // Never over the figure before.
        if let Some(&(_, previous_end)) = out.last() {
            start = start.max(previous_end);
        }
        out.push((start, end));
    }
    out
}

/// The word a unit is compared by: its last word, without a plural `s`.
fn unit_head(unit: &str) -> &str {
    let last = unit.rsplit(' ').next().unwrap_or(unit);
    last.strip_suffix('s')
        .filter(|s| s.len() > 2)
        .unwrap_or(last)
}

impl Figure {
    /// Whether two figures count the same thing: the same unit head, or a unit on one side only.
    pub fn comparable(&self, other: &Figure) -> bool {
        match (&self.unit, &other.unit) {
            (Some(a), Some(b)) => unit_head(a) == unit_head(b),
            _ => true,
        }
    }

    /// Whether two figures of the same thing state different numbers.
    pub fn disagrees_with(&self, other: &Figure) -> bool {
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        self.comparable(other)
            && !(same(self.value, other.value)
                && same(
                    self.upper.unwrap_or(self.value),
                    other.upper.unwrap_or(other.value),
                ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_located_with_their_hedge_sign_scale_and_counted_word() {
        let text = "Over 100,000 troops and some 7,000 more arrived in 2022, costing $4.2 million, \
                    about 12 percent of the budget, on March 3 at 10 Downing Street.";
        let got: Vec<&str> = locate(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(
            got,
            [
                "Over 100,000 troops",
                "some 7,000 more",
                "$4.2 million",
                "about 12 percent"
            ]
        );
        // Thousands are not years; a hedge belongs to the figure after it.
        let text = "The army sent 2,000 troops and 1,950 tanks, 500 more than 1,000 trucks.";
        let got: Vec<&str> = locate(text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(
            got,
            ["2,000 troops", "1,950 tanks", "more than 1,000 trucks"]
        );
    }

    fn fig(value: f64, unit: Option<&str>, qualifier: Option<&str>) -> Figure {
        Figure {
            value,
            upper: None,
            unit: unit.map(String::from),
            qualifier: qualifier.map(String::from),
        }
    }

    #[test]
    fn parses_the_figures_of_the_seeds() {
        assert_eq!(
            parse("over 100,000 troops"),
            Some(fig(100_000.0, Some("troops"), Some("over")))
        );
        assert_eq!(
            parse("some 130,000"),
            Some(fig(130_000.0, None, Some("some")))
        );
        assert_eq!(
            parse("some 130,000 troops around Ukraine"),
            Some(fig(130_000.0, Some("troops"), Some("some")))
        );
        assert_eq!(
            parse("more than 100,000 troops on the borders"),
            Some(fig(100_000.0, Some("troops"), Some("more than")))
        );
        assert_eq!(
            parse("more than 20 ships"),
            Some(fig(20.0, Some("ships"), Some("more than")))
        );
    }

    #[test]
    fn parses_scales_words_percentages_and_ranges() {
        assert_eq!(
            parse("an estimated 1.5 million people"),
            Some(fig(1_500_000.0, Some("people"), Some("an estimated")))
        );
        assert_eq!(parse("$4bn"), Some(fig(4e9, None, None)));
        assert_eq!(
            parse("nearly two dozen"),
            Some(fig(24.0, None, Some("nearly")))
        );
        assert_eq!(
            parse("about 40% of the force"),
            Some(fig(40.0, Some("percent"), Some("about")))
        );
        assert_eq!(
            parse("twelve Russian warships, officials said"),
            Some(fig(12.0, Some("russian warships"), None))
        );
        assert_eq!(
            parse("between 100,000 and 130,000 troops"),
            Some(Figure {
                value: 100_000.0,
                upper: Some(130_000.0),
                unit: Some("troops".into()),
                qualifier: None,
            })
        );
        assert_eq!(
            parse("1.5 to 2 million barrels"),
            Some(Figure {
                value: 1_500_000.0,
                upper: Some(2_000_000.0),
                unit: Some("barrels".into()),
                qualifier: None,
            })
        );
        assert_eq!(parse("100 000 soldiers").map(|f| f.value), Some(100_000.0));
    }

    #[test]
    fn text_without_a_number_has_no_figure() {
        assert_eq!(parse("several battalions"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("someone said"), None);
    }

    #[test]
    fn different_numbers_of_the_same_thing_disagree() {
        let over = parse("over 100,000 troops").unwrap();
        let some = parse("some 130,000").unwrap();
        let more = parse("more than 100,000 troops").unwrap();
        let ships = parse("130,000 ships").unwrap();
        assert!(over.disagrees_with(&some));
        assert!(some.disagrees_with(&over));
        assert!(
            !over.disagrees_with(&more),
            "the same number, hedged otherwise"
        );
        assert!(
            !over.disagrees_with(&ships),
            "troops and ships are not compared"
        );
        assert!(
            !parse("100-130k troops")
                .unwrap()
                .disagrees_with(&parse("100,000 to 130,000 troops").unwrap())
        );
    }
}
