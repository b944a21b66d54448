//! Turns a parsed query into a tantivy query over the index's fields.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::fields::Fields;
use super::highlight::tokens;
use super::pairs::{phrase_query, phrase_words};
use super::query::{Node, Value};

/// Field names users can write, for error messages.
const FIELDS: &str = "text, title, outlet, published, status, label, annotator, lang, attr, doc";

/// Title matches count double: a word in the headline says more than one in paragraph nine.
const TITLE_BOOST: f32 = 2.0;

pub fn to_tantivy(node: &Node, f: &Fields, kind: &str) -> Result<Box<dyn Query>, String> {
    let inner = build(node, f, kind)?;
    Ok(Box::new(BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, kind)),
        (Occur::Must, inner),
    ])))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqsAndPositions,
    ))
}

fn all_but(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery)),
        (Occur::MustNot, q),
    ]))
}

fn build(node: &Node, f: &Fields, kind: &str) -> Result<Box<dyn Query>, String> {
    Ok(match node {
        Node::All => Box::new(AllQuery),
        Node::Not(inner) => all_but(build(inner, f, kind)?),
        Node::And(items) => {
            let mut clauses = Vec::with_capacity(items.len() + 1);
            for item in items {
                clauses.push(match item {
                    Node::Not(inner) => (Occur::MustNot, build(inner, f, kind)?),
                    other => (Occur::Must, build(other, f, kind)?),
                });
            }
            if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(items) => Box::new(BooleanQuery::new(
            items
                .iter()
                .map(|i| Ok((Occur::Should, build(i, f, kind)?)))
                .collect::<Result<Vec<_>, String>>()?,
        )),
        Node::Clause { field, value } => clause(field.as_deref(), value, f, kind)?,
    })
}

fn clause(
    field: Option<&str>,
    value: &Value,
    f: &Fields,
    kind: &str,
) -> Result<Box<dyn Query>, String> {
    let name = field.map(str::to_lowercase);
    match name.as_deref() {
        None | Some("text") if kind == super::fields::KIND_SPAN => text_query(f.span_text, value),
        // Documents: the title counts as well as the text.
        None => Ok(Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(text_query(f.title, value)?, TITLE_BOOST))
                    as Box<dyn Query>,
            ),
            (
                Occur::Should,
                text_query_with_pairs(f.text, Some(f.text_pairs), value)?,
            ),
        ]))),
        Some("text") => text_query_with_pairs(f.text, Some(f.text_pairs), value),
        Some("title") => text_query(f.title, value),
        Some("outlet") => text_query(f.outlet, value),
        Some("status") => raw_query(f.status, &normalize_status(value), "status"),
        Some("label") => raw_query(f.label, value, "label"),
        Some("annotator") => raw_query(f.annotator, value, "annotator"),
        Some("lang") | Some("language") => raw_query(f.lang, value, "lang"),
        Some("attr") => raw_query(f.attr, value, "attr"),
        Some("doc") => match value {
            Value::Word(id) => Ok(Box::new(TermQuery::new(
                Term::from_field_text(f.doc_id, id),
                IndexRecordOption::Basic,
            ))),
            _ => Err("doc: takes a document id".into()),
        },
        Some("published") | Some("date") => date_query(f.published, value),
        Some(other) => Err(format!("unknown field `{other}:`; the fields are {FIELDS}")),
    }
}

fn normalize_status(value: &Value) -> Value {
    match value {
        Value::Word(w) => Value::Word(w.replace('-', "_")),
        other => other.clone(),
    }
}

/// A word, phrase or prefix over an analysed text field.
fn text_query(field: Field, value: &Value) -> Result<Box<dyn Query>, String> {
    text_query_with_pairs(field, None, value)
}

/// The same, where `pairs` is the field of `field`'s word pairs: phrases go to it.
fn text_query_with_pairs(
    field: Field,
    pairs: Option<Field>,
    value: &Value,
) -> Result<Box<dyn Query>, String> {
    match value {
        Value::Word(w) | Value::Phrase(w) => {
            let toks = tokens(w);
            match toks.len() {
                0 => Err(format!("`{w}` has no letters or digits to search for")),
                1 => Ok(term(field, &toks[0])),
                _ => Ok(match pairs {
                    Some(pairs) => {
                        phrase_query(field, pairs, w, IndexRecordOption::WithFreqsAndPositions)
                    }
                    None => word_phrase(field, w),
                }),
            }
        }
        Value::Prefix(p) => {
            let toks = tokens(p);
            match toks.as_slice() {
                [one] => prefix_query(field, one),
                _ => Err(format!("`{p}*`: a prefix must be one word, e.g. troop*")),
            }
        }
        Value::Range { .. } => {
            Err("ranges work on published:, e.g. published:[2022-02-01 TO 2022-02-28]".into())
        }
    }
}

/// The phrase `phrase` over a field with word positions. A word the analyzer dropped for its
/// length keeps its place, as it does over the text's pairs: any one word fills it.
fn word_phrase(field: Field, phrase: &str) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = phrase_words(phrase)
        .iter()
        .map(|(offset, word)| (*offset, Term::from_field_text(field, word)))
        .collect();
    match terms.as_slice() {
        [(_, one)] => Box::new(TermQuery::new(
            one.clone(),
            IndexRecordOption::WithFreqsAndPositions,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

fn prefix_query(field: Field, prefix: &str) -> Result<Box<dyn Query>, String> {
    RegexQuery::from_pattern(&format!("{}.*", regex::escape(prefix)), field)
        .map(|q| Box::new(q) as Box<dyn Query>)
        .map_err(|e| format!("cannot search for `{prefix}*`: {e}"))
}

/// An exact value over a keyword field, compared without case.
fn raw_query(field: Field, value: &Value, name: &str) -> Result<Box<dyn Query>, String> {
    match value {
        Value::Word(w) | Value::Phrase(w) => Ok(term(field, &w.to_lowercase())),
        Value::Prefix(p) => prefix_query(field, &p.to_lowercase()),
        Value::Range { .. } => Err(format!("{name}: takes a value, not a range")),
    }
}

/// `published:2022-02-15`, `published:2022-02` (the month), `published:2022`, or
/// `published:[2022-02-01 TO 2022-02-28]` with `*` for an open end.
fn date_query(field: Field, value: &Value) -> Result<Box<dyn Query>, String> {
    let (lo, hi) = match value {
        Value::Word(w) => (Some(date_bound(w, false)?), Some(date_bound(w, true)?)),
        Value::Range { lo, hi } => (
            lo.as_deref().map(|d| date_bound(d, false)).transpose()?,
            hi.as_deref().map(|d| date_bound(d, true)).transpose()?,
        ),
        _ => return Err("published: takes a date (2022-02-15, 2022-02, 2022) or a range".into()),
    };
    let bound = |b: Option<u64>| {
        b.map_or(Bound::Unbounded, |n| {
            Bound::Included(Term::from_field_u64(field, n))
        })
    };
    if lo.is_none() && hi.is_none() {
        return Ok(Box::new(tantivy::query::ExistsQuery::new(
            "published".into(),
            false,
        )));
    }
    Ok(Box::new(RangeQuery::new(bound(lo), bound(hi))))
}

/// The first (or, with `end`, last) day a date, month or year covers, as YYYYMMDD.
fn date_bound(s: &str, end: bool) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a date; write 2022-02-15, 2022-02 or 2022");
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, digits: usize| -> Result<u64, String> {
        if p.len() == digits && p.chars().all(|c| c.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    match parts.as_slice() {
        [_, _, _] => super::fields::date_number(s).ok_or_else(bad),
        [y, m] => {
            let (y, m) = (num(y, 4)?, num(m, 2)?);
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            Ok(y * 10_000 + m * 100 + if end { 31 } else { 1 })
        }
        [y] => Ok(num(y, 4)? * 10_000 + if end { 1231 } else { 101 }),
        _ => Err(bad()),
    }
}
