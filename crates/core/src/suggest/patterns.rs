//! Pattern files as spaCy's and Prodigy's matchers read them, one `{"label", "pattern", "id"?}`
//! a line: phrase patterns and token patterns, matched over the engine's spaCy-like tokens the
//! way spaCy's `Matcher` matches, and kept longest first as its `filter_spans` keeps them.
//!
//! Attributes that need a trained model (POS, TAG, DEP, LEMMA, MORPH, ENT_TYPE, `_` …) are
//! refused with the line that uses them: Parallax runs no model, and a pattern that silently
//! never matched would be worse than one refused.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::text::Tokenized;

/// The English stop words of spaCy (`IS_STOP`), one a line.
const STOP_WORDS: &str = include_str!("../../data/en/stop_words.txt");

/// Attributes spaCy fills from a trained pipeline.
const MODEL_ATTRIBUTES: &[(&str, &str)] = &[
    ("POS", "part-of-speech tags"),
    ("TAG", "part-of-speech tags"),
    ("MORPH", "morphological features"),
    ("DEP", "a dependency parse"),
    ("HEAD", "a dependency parse"),
    ("LEMMA", "a lemmatizer"),
    ("ENT_TYPE", "named entities"),
    ("ENT_IOB", "named entities"),
    ("ENT_ID", "named entities"),
    ("ENT_KB_ID", "an entity linker"),
    ("IS_OOV", "word vectors"),
    ("_", "custom extension attributes"),
];

/// A parsed pattern file.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
}

/// One line of a pattern file.
#[derive(Debug, Clone)]
struct Pattern {
    line: usize,
    label: String,
    id: Option<String>,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    /// The phrase's tokens, matched on their exact text (spaCy's `ORTH`).
    Phrase(Vec<String>),
    /// One step per token, quantifiers expanded (`+` is one then any, `{2,3}` two then optional).
    Tokens(Vec<Step>),
}

#[derive(Debug, Clone)]
struct Step {
    quantifier: Quantifier,
    /// All must hold; none is any token.
    tests: Vec<Test>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Quantifier {
    One,
    Optional,
    Any,
    /// `!`: one token the tests do not hold for (spaCy consumes it too).
    Not,
}

#[derive(Debug, Clone)]
enum Test {
    Text(TextAttr, TextTest),
    Length(NumberTest),
    Flag(Flag, bool),
}

#[derive(Debug, Clone, Copy)]
enum TextAttr {
    Orth,
    Lower,
    Norm,
}

/// How a value of a set, or a single value, is compared with a token's text.
#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    Regex(Regex),
    /// Within this many edits, or spaCy's default (`max(2, round(0.3 × length))`) for `None`.
    Fuzzy(String, Option<usize>),
}

#[derive(Debug, Clone)]
enum TextTest {
    Is(Matcher),
    In(Vec<Matcher>),
    NotIn(Vec<Matcher>),
    /// `IS_SUPERSET`: the token's one value holds every value listed.
    HoldsAll(Vec<String>),
}

#[derive(Debug, Clone)]
enum NumberTest {
    In(Vec<i64>),
    NotIn(Vec<i64>),
    Compare(&'static str, i64),
}

#[derive(Debug, Clone, Copy)]
enum Flag {
    Alpha,
    Ascii,
    Digit,
    Lower,
    Upper,
    Title,
    Punct,
    Space,
    Stop,
    Bracket,
    Quote,
    LeftPunct,
    RightPunct,
    Currency,
    LikeNum,
    LikeUrl,
    LikeEmail,
    SpaceAfter,
    SentStart,
}

const FLAGS: &[(&str, Flag)] = &[
    ("IS_ALPHA", Flag::Alpha),
    ("IS_ASCII", Flag::Ascii),
    ("IS_DIGIT", Flag::Digit),
    ("IS_LOWER", Flag::Lower),
    ("IS_UPPER", Flag::Upper),
    ("IS_TITLE", Flag::Title),
    ("IS_PUNCT", Flag::Punct),
    ("IS_SPACE", Flag::Space),
    ("IS_STOP", Flag::Stop),
    ("IS_BRACKET", Flag::Bracket),
    ("IS_QUOTE", Flag::Quote),
    ("IS_LEFT_PUNCT", Flag::LeftPunct),
    ("IS_RIGHT_PUNCT", Flag::RightPunct),
    ("IS_CURRENCY", Flag::Currency),
    ("LIKE_NUM", Flag::LikeNum),
    ("LIKE_URL", Flag::LikeUrl),
    ("LIKE_EMAIL", Flag::LikeEmail),
    ("SPACY", Flag::SpaceAfter),
    ("IS_SENT_START", Flag::SentStart),
    ("SENT_START", Flag::SentStart),
];

/// A pattern's match in a text: tokens `[start, end)`, and which pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternMatch {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

fn invalid(line: usize, problem: impl Into<String>) -> Error {
    Error::InvalidPattern {
        line,
        problem: problem.into(),
    }
}

impl PatternSet {
    /// Reads a pattern file; blank lines are skipped. The first bad line is refused with its
    /// number, and nothing of the file is kept.
    pub fn parse(jsonl: &str) -> Result<PatternSet> {
        let mut patterns = Vec::new();
        for (i, line) in jsonl.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line)
                .map_err(|e| invalid(line_no, format!("not JSON: {e}")))?;
            patterns.push(Pattern::parse(line_no, &value)?);
        }
        Ok(PatternSet { patterns })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Each pattern's line and label, in file order.
    pub fn labels(&self) -> impl Iterator<Item = (usize, &str)> {
        self.patterns.iter().map(|p| (p.line, p.label.as_str()))
    }

    /// The label of pattern `i` (an index of [`PatternMatch::pattern`]).
    pub fn label(&self, i: usize) -> &str {
        &self.patterns[i].label
    }

    /// What a suggestion of pattern `i` says made it: `pattern:ID`, or `pattern:line N`.
    pub fn origin(&self, i: usize) -> String {
        let pattern = &self.patterns[i];
        match &pattern.id {
            Some(id) => format!("pattern:{id}"),
            None => format!("pattern:line {}", pattern.line),
        }
    }

    /// Every match of every pattern, as spaCy's `Matcher` and `PhraseMatcher` give them
    /// (overlapping, each length a quantifier allows).
    pub fn all_matches(&self, doc: &Tokenized<'_>) -> Vec<PatternMatch> {
        let tokens = TokenViews::new(doc);
        let mut phrases: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, pattern) in self.patterns.iter().enumerate() {
            if let Body::Phrase(words) = &pattern.body {
                phrases.entry(words[0].as_str()).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        let mut ends = Vec::new();
        for (i, pattern) in self.patterns.iter().enumerate() {
            if let Body::Tokens(steps) = &pattern.body {
                for start in 0..tokens.len() {
                    ends.clear();
                    match_at(steps, &tokens, start, &mut ends);
                    out.extend(ends.iter().map(|&end| PatternMatch {
                        start,
                        end,
                        pattern: i,
                    }));
                }
            }
        }
        for start in 0..tokens.len() {
            let Some(candidates) = phrases.get(tokens.orth(start)) else {
                continue;
            };
            for &i in candidates {
                let Body::Phrase(words) = &self.patterns[i].body else {
                    continue;
                };
                let end = start + words.len();
                if end <= tokens.len()
                    && words
                        .iter()
                        .enumerate()
                        .all(|(k, w)| tokens.orth(start + k) == w)
                {
                    out.push(PatternMatch {
                        start,
                        end,
                        pattern: i,
                    });
                }
            }
        }
        out
    }

    /// The matches an analyst is offered: no two share a token, longer ones first and then
    /// earlier ones, as spaCy's `filter_spans` (and so its `EntityRuler`) keeps them.
    pub fn matches(&self, doc: &Tokenized<'_>) -> Vec<PatternMatch> {
        let mut all = self.all_matches(doc);
        // Ties (the same tokens) go to the pattern earlier in the file.
        all.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start, m.pattern));
        let mut taken = vec![false; doc.tokens.len()];
        let mut kept = Vec::new();
        for m in all {
            if taken[m.start..m.end].iter().any(|&t| t) {
                continue;
            }
            taken[m.start..m.end].iter_mut().for_each(|t| *t = true);
            kept.push(m);
        }
        kept.sort_by_key(|m| (m.start, m.end));
        kept
    }
}

impl Pattern {
    fn parse(line: usize, value: &Value) -> Result<Pattern> {
        let object = value.as_object().ok_or_else(|| {
            invalid(
                line,
                "a pattern is an object with \"label\" and \"pattern\"",
            )
        })?;
        let label = match object.get("label") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => return Err(invalid(line, "\"label\" is missing or not a name")),
        };
        let id = match object.get("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(invalid(line, "\"id\" must be a string")),
        };
        let body = match object.get("pattern") {
            Some(Value::String(phrase)) => {
                let doc = Tokenized::new(phrase, &crate::offsets::OffsetMap::new(phrase), &[]);
                let words: Vec<String> = (0..doc.tokens.len())
                    .map(|i| doc.word(i).to_string())
                    .collect();
                if words.is_empty() || phrase.trim().is_empty() {
                    return Err(invalid(line, "the phrase pattern is empty"));
                }
                Body::Phrase(words)
            }
            Some(Value::Array(specs)) => {
                let mut steps = Vec::new();
                for (k, spec) in specs.iter().enumerate() {
                    let spec = spec.as_object().ok_or_else(|| {
                        invalid(
                            line,
                            format!("token {} of the pattern is not an object", k + 1),
                        )
                    })?;
                    parse_token(spec, &mut steps)
                        .map_err(|problem| invalid(line, format!("token {}: {problem}", k + 1)))?;
                }
                if steps.is_empty() {
                    return Err(invalid(line, "the token pattern is empty"));
                }
                Body::Tokens(steps)
            }
            _ => {
                return Err(invalid(
                    line,
                    "\"pattern\" must be a phrase (a string) or a list of token objects",
                ));
            }
        };
        Ok(Pattern {
            line,
            label,
            id,
            body,
        })
    }
}

/// Reads one token object into one or more steps (its quantifier expanded).
fn parse_token(
    spec: &Map<String, Value>,
    steps: &mut Vec<Step>,
) -> std::result::Result<(), String> {
    let mut tests = Vec::new();
    let mut op = "1".to_string();
    for (key, value) in spec {
        let attr = key.to_uppercase();
        if let Some((_, needs)) = MODEL_ATTRIBUTES.iter().find(|(a, _)| *a == attr) {
            return Err(format!(
                "{key} needs {needs} from a trained model, which Parallax does not run; use \
                 ORTH, LOWER, REGEX, IN, LENGTH, IS_* or LIKE_* instead"
            ));
        }
        match attr.as_str() {
            "OP" => {
                op = value
                    .as_str()
                    .ok_or("OP must be a string: !, ?, +, *, {n}, {n,m}, {n,} or {,m}")?
                    .to_string()
            }
            "ORTH" | "TEXT" | "LOWER" | "NORM" => {
                let of = match attr.as_str() {
                    "LOWER" => TextAttr::Lower,
                    "NORM" => TextAttr::Norm,
                    _ => TextAttr::Orth,
                };
                tests.extend(text_tests(value)?.into_iter().map(|t| Test::Text(of, t)));
            }
            "LENGTH" => tests.push(Test::Length(number_test(value)?)),
            _ => {
                let Some(&(_, flag)) = FLAGS.iter().find(|(name, _)| *name == attr) else {
                    return Err(format!(
                        "unknown attribute {key} (Parallax reads ORTH, TEXT, LOWER, NORM, \
                         LENGTH, IS_* flags, LIKE_NUM, LIKE_URL, LIKE_EMAIL, SPACY and OP)"
                    ));
                };
                let want = match value {
                    Value::Bool(b) => *b,
                    Value::Number(n) if n.as_i64() == Some(0) => false,
                    Value::Number(n) if n.as_i64() == Some(1) => true,
                    _ => return Err(format!("{key} takes true or false")),
                };
                tests.push(Test::Flag(flag, want));
            }
        }
    }
    for quantifier in quantifiers(&op)? {
        steps.push(Step {
            quantifier,
            tests: tests.clone(),
        });
    }
    Ok(())
}

/// spaCy's operators, expanded as its matcher expands them.
fn quantifiers(op: &str) -> std::result::Result<Vec<Quantifier>, String> {
    use Quantifier::*;
    Ok(match op {
        "1" => vec![One],
        "!" => vec![Not],
        "?" => vec![Optional],
        "*" => vec![Any],
        "+" => vec![One, Any],
        _ => {
            let bad =
                || format!("OP `{op}` is not one of !, ?, +, *, {{n}}, {{n,m}}, {{n,}}, {{,m}}");
            let inner = op
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .ok_or_else(bad)?;
            let number = |s: &str| -> std::result::Result<usize, String> {
                s.trim().parse::<usize>().map_err(|_| bad())
            };
            let (min, max) = match inner.split_once(',') {
                None => {
                    let n = number(inner)?;
                    (n, Some(n))
                }
                Some((a, b)) => {
                    let min = if a.trim().is_empty() { 0 } else { number(a)? };
                    let max = if b.trim().is_empty() {
                        None
                    } else {
                        Some(number(b)?)
                    };
                    (min, max)
                }
            };
            if max.is_some_and(|m| m < min) || max == Some(0) {
                return Err(bad());
            }
            let mut out = vec![One; min];
            match max {
                Some(m) => out.extend(std::iter::repeat_n(Optional, m - min)),
                None => out.push(Any),
            }
            out
        }
    })
}

fn strings(value: &Value, what: &str) -> std::result::Result<Vec<String>, String> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| format!("{what} takes a list of strings"))
}

fn regex(source: &str) -> std::result::Result<Regex, String> {
    Regex::new(source).map_err(|e| format!("REGEX `{source}` is not a regular expression: {e}"))
}

fn fuzzy_edits(key: &str) -> std::result::Result<Option<usize>, String> {
    match key.strip_prefix("FUZZY") {
        Some("") => Ok(None),
        Some(n) if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
            Ok(Some(usize::from(n.as_bytes()[0] - b'0')))
        }
        _ => Err(format!("unknown operator {key}")),
    }
}

/// A text attribute's value: a string, or an object of operators that must all hold.
fn text_tests(value: &Value) -> std::result::Result<Vec<TextTest>, String> {
    let tests = match value {
        Value::String(s) => return Ok(vec![TextTest::Is(Matcher::Exact(s.clone()))]),
        Value::Object(ops) => ops,
        _ => return Err("a text attribute takes a string or an object of operators".into()),
    };
    let mut all = Vec::new();
    for (op, arg) in tests {
        let key = op.to_uppercase();
        all.push(match key.as_str() {
            "IN" | "INTERSECTS" | "IS_SUBSET" => {
                TextTest::In(strings(arg, op)?.into_iter().map(Matcher::Exact).collect())
            }
            "NOT_IN" => {
                TextTest::NotIn(strings(arg, op)?.into_iter().map(Matcher::Exact).collect())
            }
            "IS_SUPERSET" => TextTest::HoldsAll(strings(arg, op)?),
            "REGEX" => match arg {
                Value::String(s) => TextTest::Is(Matcher::Regex(regex(s)?)),
                Value::Object(_) => wrapped(arg, op, |s| regex(s).map(Matcher::Regex))?,
                _ => return Err("REGEX takes a string, or an object with IN or NOT_IN".into()),
            },
            _ if key.starts_with("FUZZY") => {
                let edits = fuzzy_edits(&key)?;
                match arg {
                    Value::String(s) => TextTest::Is(Matcher::Fuzzy(s.clone(), edits)),
                    Value::Object(_) => {
                        wrapped(arg, op, |s| Ok(Matcher::Fuzzy(s.to_string(), edits)))?
                    }
                    _ => {
                        return Err(format!(
                            "{op} takes a string, or an object with IN or NOT_IN"
                        ));
                    }
                }
            }
            "==" | "!=" | ">=" | "<=" | ">" | "<" => {
                return Err(format!(
                    "{op} compares numbers; for text use IN, NOT_IN, REGEX or FUZZY (LENGTH \
                     takes comparisons)"
                ));
            }
            _ => return Err(format!("unknown operator {op}")),
        });
    }
    if all.is_empty() {
        return Err("an empty object of operators matches nothing".into());
    }
    Ok(all)
}

/// `{"REGEX": {"IN": […]}}` and `{"FUZZY": {"NOT_IN": […]}}`.
fn wrapped(
    arg: &Value,
    op: &str,
    make: impl Fn(&str) -> std::result::Result<Matcher, String>,
) -> std::result::Result<TextTest, String> {
    let inner = arg
        .as_object()
        .ok_or_else(|| format!("{op} takes an object"))?;
    let (key, list) = inner
        .iter()
        .next()
        .filter(|_| inner.len() == 1)
        .ok_or_else(|| format!("{op} takes one of IN or NOT_IN"))?;
    let matchers = strings(list, key)?
        .iter()
        .map(|s| make(s))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    match key.to_uppercase().as_str() {
        "IN" => Ok(TextTest::In(matchers)),
        "NOT_IN" => Ok(TextTest::NotIn(matchers)),
        _ => Err(format!("{op} takes one of IN or NOT_IN, not {key}")),
    }
}

fn number_test(value: &Value) -> std::result::Result<NumberTest, String> {
    let int = |v: &Value| v.as_i64().ok_or("LENGTH takes whole numbers");
    let ints = |v: &Value| -> std::result::Result<Vec<i64>, String> {
        v.as_array()
            .ok_or("IN and NOT_IN take a list")?
            .iter()
            .map(|x| int(x).map_err(String::from))
            .collect()
    };
    match value {
        Value::Number(_) => Ok(NumberTest::In(vec![int(value)?])),
        Value::Object(ops) if ops.len() == 1 => {
            let (op, arg) = ops.iter().next().ok_or("LENGTH takes one operator")?;
            match op.to_uppercase().as_str() {
                "IN" => Ok(NumberTest::In(ints(arg)?)),
                "NOT_IN" => Ok(NumberTest::NotIn(ints(arg)?)),
                "==" => Ok(NumberTest::Compare("==", int(arg)?)),
                "!=" => Ok(NumberTest::Compare("!=", int(arg)?)),
                ">=" => Ok(NumberTest::Compare(">=", int(arg)?)),
                "<=" => Ok(NumberTest::Compare("<=", int(arg)?)),
                ">" => Ok(NumberTest::Compare(">", int(arg)?)),
                "<" => Ok(NumberTest::Compare("<", int(arg)?)),
                _ => Err(format!("LENGTH does not take {op}")),
            }
        }
        _ => Err("LENGTH takes a number or one operator (IN, NOT_IN, ==, !=, >=, <=, >, <)".into()),
    }
}

/// The token attributes patterns read, worked out once per text.
struct TokenViews<'a> {
    doc: &'a Tokenized<'a>,
    lower: Vec<String>,
    sent_start: Vec<bool>,
}

impl<'a> TokenViews<'a> {
    fn new(doc: &'a Tokenized<'a>) -> Self {
        let lower = (0..doc.tokens.len())
            .map(|i| doc.word(i).to_lowercase())
            .collect();
        let mut sent_start = vec![false; doc.tokens.len()];
        for &(first, _) in &doc.sentences {
            if let Some(s) = sent_start.get_mut(first) {
                *s = true;
            }
        }
        TokenViews {
            doc,
            lower,
            sent_start,
        }
    }

    fn len(&self) -> usize {
        self.doc.tokens.len()
    }

    fn orth(&self, i: usize) -> &'a str {
        self.doc.word(i)
    }

    fn text(&self, attr: TextAttr, i: usize) -> std::borrow::Cow<'_, str> {
        match attr {
            TextAttr::Orth => self.orth(i).into(),
            TextAttr::Lower => self.lower[i].as_str().into(),
            TextAttr::Norm => norm(&self.lower[i]),
        }
    }

    fn holds(&self, test: &Test, i: usize) -> bool {
        match test {
            Test::Text(attr, test) => {
                let text = self.text(*attr, i);
                match test {
                    TextTest::Is(m) => m.matches(&text),
                    TextTest::In(ms) => ms.iter().any(|m| m.matches(&text)),
                    TextTest::NotIn(ms) => !ms.iter().any(|m| m.matches(&text)),
                    TextTest::HoldsAll(values) => values.iter().all(|v| *v == text),
                }
            }
            Test::Length(test) => {
                let n = self.orth(i).chars().count() as i64;
                match test {
                    NumberTest::In(values) => values.contains(&n),
                    NumberTest::NotIn(values) => !values.contains(&n),
                    NumberTest::Compare(op, v) => match *op {
                        "==" => n == *v,
                        "!=" => n != *v,
                        ">=" => n >= *v,
                        "<=" => n <= *v,
                        ">" => n > *v,
                        _ => n < *v,
                    },
                }
            }
            Test::Flag(flag, want) => self.flag(*flag, i) == *want,
        }
    }

    fn flag(&self, flag: Flag, i: usize) -> bool {
        let s = self.orth(i);
        match flag {
            Flag::Alpha => ALPHA.is_match(s),
            Flag::Ascii => s.is_ascii(),
            Flag::Digit => DIGIT.is_match(s),
            Flag::Lower => is_lower(s),
            Flag::Upper => is_upper(s),
            Flag::Title => is_title(s),
            Flag::Punct => PUNCT.is_match(s),
            Flag::Space => !s.is_empty() && s.chars().all(char::is_whitespace),
            Flag::Stop => STOPS.contains(self.lower[i].as_str()),
            Flag::Bracket => matches!(s, "(" | ")" | "[" | "]" | "{" | "}" | "<" | ">"),
            Flag::Quote => matches!(
                s,
                "\"" | "'"
                    | "`"
                    | "«"
                    | "»"
                    | "‘"
                    | "’"
                    | "‚"
                    | "‛"
                    | "“"
                    | "”"
                    | "„"
                    | "‟"
                    | "‹"
                    | "›"
                    | "❮"
                    | "❯"
                    | "''"
                    | "``"
            ),
            Flag::LeftPunct => matches!(
                s,
                "(" | "["
                    | "{"
                    | "<"
                    | "\""
                    | "'"
                    | "«"
                    | "‘"
                    | "‚"
                    | "‛"
                    | "“"
                    | "„"
                    | "‟"
                    | "‹"
                    | "❮"
                    | "``"
            ),
            Flag::RightPunct => matches!(
                s,
                ")" | "]" | "}" | ">" | "\"" | "'" | "»" | "’" | "”" | "›" | "❯" | "''"
            ),
            Flag::Currency => CURRENCY.is_match(s),
            Flag::LikeNum => like_num(s),
            Flag::LikeUrl => like_url(s),
            Flag::LikeEmail => EMAIL.is_match(s),
            Flag::SpaceAfter => self.doc.tokens[i].space_after,
            Flag::SentStart => self.sent_start[i],
        }
    }
}

impl Matcher {
    fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Exact(value) => value == text,
            Matcher::Regex(re) => re.is_match(text),
            Matcher::Fuzzy(value, edits) => {
                // spaCy's `levenshtein_compare`: Python's round() rounds half to even.
                let max = edits.unwrap_or_else(|| {
                    let len = value.chars().count() as f64;
                    ((0.3 * len).round_ties_even() as usize).max(2)
                });
                value == text || strsim::levenshtein(text, value) <= max
            }
        }
    }
}

/// Which steps can be reached after `set` without reading a token.
fn close(steps: &[Step], set: &mut Vec<usize>) {
    let mut k = 0;
    while k < set.len() {
        let p = set[k];
        if p < steps.len()
            && matches!(steps[p].quantifier, Quantifier::Optional | Quantifier::Any)
            && !set.contains(&(p + 1))
        {
            set.push(p + 1);
        }
        k += 1;
    }
}

/// The longest match a pattern may make, in tokens: `[{"OP": "+"}]` over a long article would
/// otherwise list every stretch of it (millions of matches).
pub const MAX_MATCH_TOKENS: usize = 128;

/// The ends of every match of `steps` starting at token `start`.
fn match_at(steps: &[Step], tokens: &TokenViews<'_>, start: usize, ends: &mut Vec<usize>) {
    let mut states = vec![0];
    close(steps, &mut states);
    let mut next = Vec::new();
    for i in start..tokens.len().min(start + MAX_MATCH_TOKENS) {
        next.clear();
        for &p in &states {
            let Some(step) = steps.get(p) else { continue };
            let holds = step.tests.iter().all(|t| tokens.holds(t, i));
            let to = match step.quantifier {
                Quantifier::One | Quantifier::Optional if holds => p + 1,
                Quantifier::Not if !holds => p + 1,
                Quantifier::Any if holds => p,
                _ => continue,
            };
            if !next.contains(&to) {
                next.push(to);
            }
        }
        close(steps, &mut next);
        std::mem::swap(&mut states, &mut next);
        if states.is_empty() {
            return;
        }
        if states.contains(&steps.len()) {
            ends.push(i + 1);
        }
    }
}

static ALPHA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\p{L}+\z").expect("valid"));
static DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\p{Nd}+\z").expect("valid"));
static PUNCT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\p{P}+\z").expect("valid"));
static CURRENCY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\p{Sc}+\z").expect("valid"));
/// spaCy's `like_email`: matched at the start only.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+").expect("valid")
});
static STOPS: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.lines().filter(|l| !l.is_empty()).collect());

/// Python's `str.islower()`: some cased character, none upper or title case.
fn is_lower(s: &str) -> bool {
    s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase)
}

fn is_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

/// Python's `str.istitle()`: upper case only after uncased characters, lower only after cased.
fn is_title(s: &str) -> bool {
    let (mut cased, mut previous_cased) = (false, false);
    for c in s.chars() {
        if c.is_uppercase() {
            if previous_cased {
                return false;
            }
            previous_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !previous_cased {
                return false;
            }
            previous_cased = true;
            cased = true;
        } else {
            previous_cased = false;
        }
    }
    cased
}

/// spaCy's English `like_num`: digits (with separators, a sign, a fraction or an ordinal
/// ending), or a number word.
fn like_num(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "quadrillion",
        "quintillion",
        "sextillion",
        "septillion",
        "octillion",
        "nonillion",
        "decillion",
        "gajillion",
        "bazillion",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
        "hundredth",
        "thousandth",
        "millionth",
        "billionth",
        "trillionth",
        "quadrillionth",
        "quintillionth",
        "sextillionth",
        "septillionth",
        "octillionth",
        "nonillionth",
        "decillionth",
        "gajillionth",
        "bazillionth",
    ];
    let s = s
        .strip_prefix(['+', '-', '±', '~'])
        .unwrap_or(s)
        .replace([',', '.'], "");
    let digits = |t: &str| DIGIT.is_match(t);
    if digits(&s) {
        return true;
    }
    if s.matches('/').count() == 1
        && let Some((a, b)) = s.split_once('/')
        && digits(a)
        && digits(b)
    {
        return true;
    }
    let lower = s.to_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|end| lower.strip_suffix(end).is_some_and(digits))
}

/// spaCy's `like_url`, less its full URL expression: a scheme or `www.`, or a dotted name
/// ending in a common top-level domain or a slash.
fn like_url(s: &str) -> bool {
    const TLDS: &[&str] = &[
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "io", "co", "uk", "us", "de",
        "fr", "ru", "ua", "eu", "es", "it", "nl", "pl", "ca", "au", "in", "cn", "jp", "news",
    ];
    if s.starts_with("http://") || s.starts_with("https://") {
        return true;
    }
    if s.starts_with("www.") && s.chars().count() >= 5 {
        return true;
    }
    if s.starts_with('.') || s.ends_with('.') || s.contains('@') || !s.contains('.') {
        return false;
    }
    let tld = s
        .rsplit_once('.')
        .map_or("", |(_, t)| t.split(':').next().unwrap_or(""));
    tld.ends_with('/') || TLDS.contains(&tld)
}

/// A token's norm: its lower case with typographic apostrophes and quotes made plain.
fn norm(lower: &str) -> std::borrow::Cow<'_, str> {
    if lower.contains(['’', '‘', '“', '”']) {
        lower
            .replace(['’', '‘'], "'")
            .replace(['“', '”'], "\"")
            .into()
    } else {
        lower.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::OffsetMap;

    fn found(patterns: &str, text: &str) -> Vec<(String, String)> {
        let set = PatternSet::parse(patterns).expect("patterns parse");
        let doc = Tokenized::new(text, &OffsetMap::new(text), &[]);
        set.matches(&doc)
            .into_iter()
            .map(|m| {
                let (a, b) = (doc.tokens[m.start].start, doc.tokens[m.end - 1].end);
                (set.label(m.pattern).to_string(), text[a..b].to_string())
            })
            .collect()
    }

    fn refused(patterns: &str) -> String {
        PatternSet::parse(patterns)
            .expect_err("the file is refused")
            .to_string()
    }

    #[test]
    fn phrases_match_whole_tokens_and_the_longest_wins() {
        let patterns = r#"{"label": "SOURCE", "pattern": "Igor Konashenkov"}
{"label": "SOURCE", "pattern": "Maj. Gen. Igor Konashenkov", "id": "mod"}
{"label": "CUE", "pattern": "said"}"#;
        let text = "Maj. Gen. Igor Konashenkov said so. Konashenkov's aide unsaid it.";
        assert_eq!(
            found(patterns, text),
            [
                ("SOURCE".into(), "Maj. Gen. Igor Konashenkov".into()),
                ("CUE".into(), "said".into())
            ]
        );
    }

    #[test]
    fn token_patterns_take_quantifiers_sets_regexes_and_flags() {
        let patterns = r#"{"label": "CUE", "pattern": [{"LOWER": {"IN": ["said", "told"]}}, {"LOWER": "reporters", "OP": "?"}]}
{"label": "QUANTITY", "pattern": [{"LIKE_NUM": true, "OP": "+"}, {"LOWER": {"REGEX": "^(troops|soldiers)$"}}]}
{"label": "SOURCE", "pattern": [{"IS_TITLE": true, "OP": "{2,3}"}, {"ORTH": "spokesman"}]}"#;
        let text = "Some 130,000 soldiers remain, Kremlin Press Office spokesman Dmitry Peskov told reporters. Igor said.";
        assert_eq!(
            found(patterns, text),
            [
                ("QUANTITY".into(), "130,000 soldiers".into()),
                ("SOURCE".into(), "Kremlin Press Office spokesman".into()),
                ("CUE".into(), "told reporters".into()),
                ("CUE".into(), "said".into()),
            ]
        );
    }

    #[test]
    fn negation_consumes_one_token_that_does_not_match() {
        let patterns = r#"{"label": "CUE", "pattern": [{"LOWER": "the"}, {"IS_PUNCT": true, "OP": "!"}, {"LOWER": "said"}]}"#;
        assert_eq!(
            found(patterns, "the minister said, the , said"),
            [("CUE".into(), "the minister said".into())]
        );
    }

    #[test]
    fn fuzzy_follows_spacys_default_edit_budget() {
        let patterns = r#"{"label": "SOURCE", "pattern": [{"LOWER": {"FUZZY": "konashenkov"}}]}
{"label": "CUE", "pattern": [{"LOWER": {"FUZZY1": "said"}}]}"#;
        // 11 letters: max(2, round(3.3)) = 3 edits; "Kanaszenkaf" is 4 away.
        assert_eq!(
            found(
                patterns,
                "Konashenkow sayd; Konaschenkof saaid; Kanaszenkaf"
            ),
            [
                ("SOURCE".into(), "Konashenkow".into()),
                ("CUE".into(), "sayd".into()),
                ("SOURCE".into(), "Konaschenkof".into()),
                ("CUE".into(), "saaid".into()),
            ]
        );
    }

    #[test]
    fn python_string_predicates() {
        assert!(is_title("Kyiv") && is_title("Jean-Luc") && !is_title("NATO") && !is_title("mcD"));
        assert!(is_lower("troops") && !is_lower("Troops") && !is_lower("123"));
        assert!(is_upper("NATO") && !is_upper("Nato"));
        for yes in ["130,000", "1.5", "-4", "3/4", "twenty", "21st", "Million"] {
            assert!(like_num(yes), "{yes}");
        }
        for no in ["1.5x", "twentyish", "st"] {
            assert!(!like_num(no), "{no}");
        }
        assert!(
            like_url("https://x.org/a") && like_url("www.bbc.co.uk") && like_url("nbcnews.com")
        );
        assert!(!like_url("a.b@c.com") && !like_url("end."));
    }

    #[test]
    fn a_match_is_at_most_max_match_tokens_long() {
        let text = "word ".repeat(300);
        let set =
            PatternSet::parse(r#"{"label": "A", "pattern": [{"IS_ALPHA": true, "OP": "+"}]}"#)
                .expect("parses");
        let doc = Tokenized::new(&text, &OffsetMap::new(&text), &[]);
        assert_eq!(
            set.all_matches(&doc).len(),
            300 * MAX_MATCH_TOKENS - (MAX_MATCH_TOKENS - 1) * MAX_MATCH_TOKENS / 2
        );
        let kept = set.matches(&doc);
        assert_eq!(kept[0].end - kept[0].start, MAX_MATCH_TOKENS);
    }

    #[test]
    fn model_attributes_are_refused_naming_the_line() {
        let file = "{\"label\": \"CUE\", \"pattern\": \"said\"}\n\n{\"label\": \"SOURCE\", \"pattern\": [{\"POS\": \"PROPN\", \"OP\": \"+\"}]}";
        let message = refused(file);
        assert!(message.contains("line 3"), "{message}");
        assert!(
            message.contains("POS needs part-of-speech tags"),
            "{message}"
        );
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        for (file, says) in [
            ("not json", "line 1: not JSON"),
            ("{\"pattern\": \"x\"}", "\"label\" is missing"),
            ("{\"label\": \"A\", \"pattern\": 3}", "must be a phrase"),
            (
                "{\"label\": \"A\", \"pattern\": [{\"ORTH\": \"a\", \"OP\": \"{3,1}\"}]}",
                "OP `{3,1}`",
            ),
            (
                "{\"label\": \"A\", \"pattern\": [{\"SHAPE\": \"Xxx\"}]}",
                "unknown attribute SHAPE",
            ),
            (
                "{\"label\": \"A\", \"pattern\": [{\"TEXT\": {\"REGEX\": \"(\"}}]}",
                "not a regular expression",
            ),
            (
                "{\"label\": \"A\", \"pattern\": [{\"LOWER\": {\">\": 3}}]}",
                "compares numbers",
            ),
            (
                "{\"label\": \"A\", \"pattern\": [{\"_\": {\"x\": 1}}]}",
                "custom extension",
            ),
            (
                "{\"label\": \"A\", \"pattern\": \"  \"}",
                "phrase pattern is empty",
            ),
        ] {
            let message = refused(file);
            assert!(message.contains(says), "{file}: {message}");
        }
    }
}
