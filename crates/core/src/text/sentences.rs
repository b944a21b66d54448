//! Sentences over tokens: a sentence ends after `.`, `!`, `?` or `…` (and any closing quotes or
//! brackets after it) when the next word starts with a capital, a digit or an opening quote, and
//! at every line break. Abbreviations ("Mr.", "U.S.") are single tokens, so they never end one.

use super::tokens::Token;

fn is_terminal(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "…" | "..." | "?!" | "!?")
}

fn is_closing(word: &str) -> bool {
    matches!(word, "”" | "\"" | "’" | "'" | ")" | "]" | "»")
}

fn starts_sentence(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘' | '«' | '(')
    })
}

/// Sentences as ranges of token indices, `[first, last)`, covering every token. Whitespace
/// tokens holding a line break end the sentence before them and belong to it.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let word = |i: usize| &text[tokens[i].start..tokens[i].end];
    let mut out = Vec::new();
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if t.is_space && word(i).contains('\n') {
            out.push((first, i + 1));
            first = i + 1;
            i += 1;
            continue;
        }
        if !t.is_space && is_terminal(word(i)) {
            let mut end = i + 1;
            while end < tokens.len() && !tokens[end].is_space && is_closing(word(end)) {
                end += 1;
            }
            let next_word = (end..tokens.len()).find(|&k| !tokens[k].is_space);
            let breaks = match next_word {
                None => false,
                Some(k) => tokens[end - 1].space_after && starts_sentence(word(k)),
            };
            if breaks {
                out.push((first, end));
                first = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if first < tokens.len() {
        out.push((first, tokens.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let toks = tokenize(text, &[]);
        sentences(text, &toks)
            .into_iter()
            .map(|(a, b)| text[toks[a].start..toks[b - 1].end].trim().to_string())
            .collect()
    }

    #[test]
    fn sentences_end_at_terminal_punctuation_before_a_capital() {
        assert_eq!(
            split(
                "Maj. Gen. Igor Konashenkov spoke. “Units are leaving,” he said. The U.S. doubted it."
            ),
            [
                "Maj. Gen. Igor Konashenkov spoke.",
                "“Units are leaving,” he said.",
                "The U.S. doubted it."
            ]
        );
    }

    #[test]
    fn a_quote_closing_after_the_period_stays_with_its_sentence() {
        assert_eq!(
            split("He said: “We are done.” Then he left."),
            ["He said: “We are done.”", "Then he left."]
        );
    }

    #[test]
    fn line_breaks_end_sentences_and_lowercase_continues_them() {
        assert_eq!(
            split("A headline\nThe text is 3.5 km. long and ends here."),
            ["A headline", "The text is 3.5 km. long and ends here."]
        );
    }
}
