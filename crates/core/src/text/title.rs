//! A title for a text that came without one, so that it is not known by its file name or id
//! alone in the app: derived from its first line or sentence. Every document keeps one as
//! `derived_title`, shown where it has no title (never exported as its title).

/// The longest derived title, in characters.
const DERIVED_TITLE_CHARS: usize = 90;
/// How much of the first line is read for its first sentence, in bytes.
const FIRST_LINE_BYTES: usize = 2_000;

/// A title for a text whose file gave none, so that it is not known by its file name alone: its
/// first line when that reads as a heading (short, not ending as a sentence does, with text after
/// it), else its first sentence; cut at a word to at most 90 characters, with an ellipsis.
pub fn derived_title(body: &str) -> Option<String> {
    let first = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let more = body.trim().len() > first.len();
    // A line of 120 characters is at most 480 bytes: longer ones are not counted (a text of
    // one long line is read no further than `FIRST_LINE_BYTES` on every import).
    let heading = more
        && first.len() <= 480
        && first.chars().count() <= 120
        && first.split_whitespace().count() <= 20
        && !first.ends_with(['.', ',', ';', ':', '"', '”']);
    let title = if heading {
        first
    } else {
        let mut end = first.len().min(FIRST_LINE_BYTES);
        while !first.is_char_boundary(end) {
            end -= 1;
        }
        let line = &first[..end];
        let (a, b) = crate::text::sentence_ranges(line)
            .first()
            .copied()
            .unwrap_or((0, line.len()));
        &line[a..b]
    };
    Some(super::shorten(title, DERIVED_TITLE_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_derived_from_a_heading_like_first_line_or_the_first_sentence() {
        // A heading: short, no full stop, text after it.
        assert_eq!(
            derived_title("Troops pull back from border\n\nMoscow said on Tuesday...").as_deref(),
            Some("Troops pull back from border")
        );
        // A paragraph: its first sentence.
        assert_eq!(
            derived_title("Russia said Tuesday it was pulling back. Kyiv doubted it.\n\nMore.")
                .as_deref(),
            Some("Russia said Tuesday it was pulling back.")
        );
        // A long first sentence: cut at a word, with an ellipsis.
        let long = "Some troops in Russia's military districts adjacent to Ukraine are returning to bases after completing drills, the ministry said.";
        let title = derived_title(long).unwrap();
        assert_eq!(
            title,
            "Some troops in Russia's military districts adjacent to Ukraine are returning to bases…"
        );
        assert!(title.chars().count() <= DERIVED_TITLE_CHARS);
        // A one-line text is its own sentence, not a heading; nothing to derive from nothing.
        assert_eq!(
            derived_title("Only this line").as_deref(),
            Some("Only this line")
        );
        assert_eq!(derived_title("  \n \n"), None);
    }
}
