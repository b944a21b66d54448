//! The search query language, parsed into a small syntax tree: words, `"exact phrases"`,
//! `prefix*`, `AND` / `OR` / `NOT` / `-word`, parentheses, and field filters such as
//! `outlet:reuters`, `label:CLAIM`, `status:done`, `published:[2022-02-01 TO 2022-02-28]`.
//! Words next to each other must all match (AND). Errors say what is wrong and at which
//! character (counted from 1), e.g. `outlet:(` → "character 8: ...".

use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Matches everything (the empty query).
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Clause {
        field: Option<String>,
        value: Value,
    },
}

/// The value of one clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Word(String),
    Prefix(String),
    Phrase(String),
    /// `[lo TO hi]`; `*` for an open end (`None`). Both ends inclusive.
    Range {
        lo: Option<String>,
        hi: Option<String>,
    },
}

/// A query that could not be parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    /// Character position (from 1) where the problem is.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "character {}: {}", self.position, self.message)
    }
}

/// Parses a query. The empty query (or only spaces) is [`Node::All`].
pub fn parse(query: &str) -> Result<Node, QueryError> {
    let mut p = Parser {
        chars: query.chars().collect(),
        pos: 0,
    };
    p.skip_space();
    if p.at_end() {
        return Ok(Node::All);
    }
    let node = p.or()?;
    p.skip_space();
    if !p.at_end() {
        return Err(p.error(p.pos, "unexpected `)`: no `(` opens it"));
    }
    Ok(node)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '"' | '[' | ']' | ':' | '\u{201c}' | '\u{201d}'
        )
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}')
}

impl Parser {
    fn error(&self, at: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            position: at + 1,
            message: message.into(),
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// The operator keyword at the cursor (`AND`, `OR`, `NOT`, `TO`), if it stands alone.
    fn keyword(&self, word: &str) -> bool {
        let n = word.len();
        let matches = self.chars.len() >= self.pos + n
            && self.chars[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(word.chars());
        matches && self.chars.get(self.pos + n).is_none_or(|&c| ends_word(c))
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.and()?];
        loop {
            self.skip_space();
            if self.keyword("OR") {
                let at = self.pos;
                self.pos += 2;
                self.skip_space();
                if self.at_end() || self.peek() == Some(')') {
                    return Err(self.error(at, "`OR` needs something after it"));
                }
                items.push(self.and()?);
            } else {
                break;
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            self.skip_space();
            if self.at_end() || self.peek() == Some(')') || self.keyword("OR") {
                break;
            }
            if self.keyword("AND") {
                let at = self.pos;
                self.pos += 3;
                self.skip_space();
                if self.at_end() || self.peek() == Some(')') || self.keyword("OR") {
                    return Err(self.error(at, "`AND` needs something after it"));
                }
            }
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        self.skip_space();
        let at = self.pos;
        let negated = if self.keyword("NOT") {
            self.pos += 3;
            true
        } else if self.peek() == Some('-') {
            self.pos += 1;
            true
        } else {
            false
        };
        if negated {
            self.skip_space();
            if self.at_end() || self.peek() == Some(')') {
                return Err(self.error(at, "nothing to exclude after `NOT` or `-`"));
            }
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        self.primary(None)
    }

    fn primary(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        self.skip_space();
        let at = self.pos;
        match self.peek() {
            None => Err(self.error(at, "the query ends where a word was expected")),
            Some('(') => {
                self.pos += 1;
                self.skip_space();
                if self.peek() == Some(')') {
                    return Err(self.error(at, "empty parentheses"));
                }
                if self.at_end() {
                    return Err(self.error(at, "`(` is never closed"));
                }
                let inner = self.or()?;
                self.skip_space();
                if self.peek() != Some(')') {
                    return Err(self.error(at, "`(` is never closed"));
                }
                self.pos += 1;
                Ok(match field {
                    Some(f) => with_field(inner, f),
                    None => inner,
                })
            }
            Some(')') => Err(self.error(at, "unexpected `)`: no `(` opens it")),
            Some(c) if is_quote(c) => {
                self.pos += 1;
                let start = self.pos;
                while self.peek().is_some_and(|c| !is_quote(c)) {
                    self.pos += 1;
                }
                if self.at_end() {
                    return Err(self.error(at, "the phrase's `\"` is never closed"));
                }
                let phrase: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                if phrase.trim().is_empty() {
                    return Err(self.error(at, "empty phrase"));
                }
                Ok(clause(field, Value::Phrase(phrase.trim().to_string())))
            }
            Some('[') => {
                if field.is_none() {
                    return Err(self.error(
                        at,
                        "a range needs a field, e.g. published:[2022-02-01 TO 2022-02-28]",
                    ));
                }
                self.pos += 1;
                let lo = self.range_end(at)?;
                self.skip_space();
                if !self.keyword("TO") {
                    return Err(self.error(self.pos, "a range is written [FROM TO UNTIL]"));
                }
                self.pos += 2;
                let hi = self.range_end(at)?;
                self.skip_space();
                if self.peek() != Some(']') {
                    return Err(self.error(self.pos, "the range's `[` is never closed with `]`"));
                }
                self.pos += 1;
                Ok(clause(field, Value::Range { lo, hi }))
            }
            Some(']') => Err(self.error(at, "unexpected `]`")),
            Some(':') => {
                Err(self.error(at, "`:` needs a field name before it, e.g. outlet:reuters"))
            }
            Some(_) => {
                let start = self.pos;
                while self.peek().is_some_and(|c| !ends_word(c)) {
                    self.pos += 1;
                }
                let word: String = self.chars[start..self.pos].iter().collect();
                if self.peek() == Some(':') {
                    if field.is_some() {
                        return Err(self.error(start, "a field inside a field filter"));
                    }
                    self.pos += 1;
                    if self.at_end() || self.peek().is_some_and(char::is_whitespace) {
                        return Err(
                            self.error(self.pos, format!("`{word}:` needs a value after it"))
                        );
                    }
                    return self.primary(Some(&word)).map(|node| match node {
                        Node::Clause { field: None, value } => Node::Clause {
                            field: Some(word.clone()),
                            value,
                        },
                        other => other,
                    });
                }
                let value = match word.strip_suffix('*') {
                    Some("") => {
                        return Err(
                            self.error(start, "`*` needs a beginning of a word, e.g. troop*")
                        );
                    }
                    Some(p) if p.contains('*') => {
                        return Err(self.error(start, "`*` only at the end of a word"));
                    }
                    Some(p) => Value::Prefix(p.to_string()),
                    None if word.contains('*') => {
                        return Err(self.error(start, "`*` only at the end of a word"));
                    }
                    None => Value::Word(word),
                };
                Ok(clause(field, value))
            }
        }
    }

    /// One end of a range: a bare value or `*`.
    fn range_end(&mut self, open_at: usize) -> Result<Option<String>, QueryError> {
        self.skip_space();
        let start = self.pos;
        while self.peek().is_some_and(|c| !c.is_whitespace() && c != ']') {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(open_at, "a range is written [FROM TO UNTIL]"));
        }
        let value: String = self.chars[start..self.pos].iter().collect();
        Ok((value != "*").then_some(value))
    }
}

fn clause(field: Option<&str>, value: Value) -> Node {
    Node::Clause {
        field: field.map(str::to_string),
        value,
    }
}

/// `outlet:(reuters OR bbc)`: the field applies to every clause inside without one.
fn with_field(node: Node, field: &str) -> Node {
    match node {
        Node::Clause { field: None, value } => Node::Clause {
            field: Some(field.into()),
            value,
        },
        Node::And(items) => Node::And(items.into_iter().map(|n| with_field(n, field)).collect()),
        Node::Or(items) => Node::Or(items.into_iter().map(|n| with_field(n, field)).collect()),
        Node::Not(inner) => Node::Not(Box::new(with_field(*inner, field))),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(field: Option<&str>, w: &str) -> Node {
        clause(field, Value::Word(w.into()))
    }

    #[test]
    fn words_next_to_each_other_are_and() {
        assert_eq!(
            parse("troops  bases").unwrap(),
            Node::And(vec![word(None, "troops"), word(None, "bases")])
        );
        assert_eq!(parse("   ").unwrap(), Node::All);
    }

    #[test]
    fn or_binds_looser_than_and_and_not_excludes() {
        assert_eq!(
            parse("a b OR c -d NOT e").unwrap(),
            Node::Or(vec![
                Node::And(vec![word(None, "a"), word(None, "b")]),
                Node::And(vec![
                    word(None, "c"),
                    Node::Not(Box::new(word(None, "d"))),
                    Node::Not(Box::new(word(None, "e"))),
                ]),
            ])
        );
        assert_eq!(
            parse("a AND (b OR c)").unwrap(),
            Node::And(vec![
                word(None, "a"),
                Node::Or(vec![word(None, "b"), word(None, "c")])
            ])
        );
    }

    #[test]
    fn phrases_prefixes_fields_and_ranges() {
        assert_eq!(
            parse("\u{201c}some units\u{201d} troop* outlet:reuters.com").unwrap(),
            Node::And(vec![
                clause(None, Value::Phrase("some units".into())),
                clause(None, Value::Prefix("troop".into())),
                word(Some("outlet"), "reuters.com"),
            ])
        );
        assert_eq!(
            parse("published:[2022-02-01 TO *]").unwrap(),
            clause(
                Some("published"),
                Value::Range {
                    lo: Some("2022-02-01".into()),
                    hi: None
                }
            )
        );
        assert_eq!(
            parse("label:(CLAIM OR SOURCE)").unwrap(),
            Node::Or(vec![
                word(Some("label"), "CLAIM"),
                word(Some("label"), "SOURCE")
            ])
        );
        assert_eq!(
            parse("title:\"troops return\"").unwrap(),
            clause(Some("title"), Value::Phrase("troops return".into()))
        );
    }

    #[test]
    fn hyphenated_words_and_dates_stay_whole() {
        assert_eq!(parse("pro-Kremlin").unwrap(), word(None, "pro-Kremlin"));
        assert_eq!(
            parse("published:2022-02-15").unwrap(),
            word(Some("published"), "2022-02-15")
        );
    }

    #[test]
    fn malformed_queries_say_what_and_where() {
        let cases = [
            ("outlet:(", 8, "never closed"),
            ("\"some units", 1, "never closed"),
            ("troops)", 7, "no `(` opens it"),
            ("troops OR", 8, "`OR` needs"),
            ("a AND", 3, "`AND` needs"),
            ("outlet:", 8, "needs a value"),
            ("-", 1, "nothing to exclude"),
            ("published:[2022 2023]", 17, "[FROM TO UNTIL]"),
            ("[a TO b]", 1, "needs a field"),
            ("*", 1, "beginning of a word"),
            ("tr*ops", 1, "only at the end"),
            ("()", 1, "empty parentheses"),
            (":x", 1, "field name"),
        ];
        for (query, position, words) in cases {
            let err = parse(query).unwrap_err();
            assert_eq!(err.position, position, "{query}: {err}");
            assert!(err.message.contains(words), "{query}: {err}");
        }
    }
}
