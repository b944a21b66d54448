//! Hard-wrapped text (from PDFs and e-mail) back into paragraphs. A line break is a wrap when
//! the next line's first word would not have fitted on the line: that is why the wrapper broke
//! there. A text counts as hard-wrapped when most breaks inside blocks are such wraps; then
//! those breaks are joined and every other break (paragraph ends, captions) stays.

/// Lines longer than this are not from a fixed-width wrapper.
const MAX_WRAP_WIDTH: usize = 200;

fn first_word_len(line: &str) -> usize {
    line.split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count())
}

/// The unwrapped text, or `None` when the text does not look hard-wrapped.
pub fn unwrap_hard_wraps(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut lengths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.chars().count())
        .collect();
    if lengths.len() < 3 {
        return None;
    }
    lengths.sort_unstable();
    // The wrap width; with enough lines, robust to a few over-long ones (a URL, a table row).
    let width = if lengths.len() >= 20 {
        lengths[(lengths.len() - 1) * 95 / 100]
    } else {
        lengths[lengths.len() - 1]
    };
    if width > MAX_WRAP_WIDTH {
        return None;
    }
    let is_wrap = |i: usize| -> bool {
        let (a, b) = (lines[i], lines[i + 1]);
        if a.trim().is_empty() || b.trim().is_empty() {
            return false;
        }
        let len = a.chars().count();
        // The next word would not have fitted: a fixed-width wrap.
        let no_room = len + 1 + first_word_len(b) > width;
        // Text wrapped by a proportional font (PDF) breaks earlier, but never ends a reasonably
        // long line mid-sentence unless it was wrapped.
        let mid_sentence = len * 2 >= width && !ends_sentence(a);
        no_room || mid_sentence
    };
    let pairs = (0..lines.len() - 1)
        .filter(|&i| !lines[i].trim().is_empty() && !lines[i + 1].trim().is_empty())
        .count();
    let wraps = (0..lines.len() - 1).filter(|&i| is_wrap(i)).count();
    if wraps < 2 || wraps * 2 < pairs {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut joined = false;
    for (i, line) in lines.iter().enumerate() {
        // A line continuing a wrap loses the wrapper's indentation, nothing else.
        out.push_str(if joined { line.trim_start() } else { line });
        if i + 1 == lines.len() {
            break;
        }
        joined = is_wrap(i);
        if !joined {
            out.push('\n');
        } else if !ends_hyphenated(line) {
            out.push(' ');
        }
    }
    Some(out)
}

/// Ends with sentence-final punctuation, possibly followed by closing quotes or brackets.
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    t.ends_with(['.', '!', '?', ':', ';', '…'])
}

/// `de-` at a line end: the hyphen belongs to the word, so the join adds no space.
fn ends_hyphenated(line: &str) -> bool {
    let mut rev = line.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRAPPED: &str =
        "Russia said Tuesday it was pulling back some of its forces near the border to their
bases, in what could be the first major step towards de-escalation in weeks of a
crisis with the West.

Moscow released few details and there was no immediate outside confirmation of the
withdrawal, which the Kremlin said had always been planned despite Western talk of
a feared invasion.
 Related article: Parliament backs plan

NATO's chief said there were \"grounds for cautious optimism\" in signs from Moscow.";

    #[test]
    fn wrapped_paragraphs_become_single_lines() {
        let out = unwrap_hard_wraps(WRAPPED).expect("looks wrapped");
        let paragraphs: Vec<&str> = out.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 3);
        assert_eq!(
            paragraphs[0],
            "Russia said Tuesday it was pulling back some of its forces near the border to their bases, in what could be the first major step towards de-escalation in weeks of a crisis with the West."
        );
        // The short caption-like line after a paragraph's last line stays on its own line.
        assert!(
            paragraphs[1].ends_with("a feared invasion.\n Related article: Parliament backs plan"),
            "{}",
            paragraphs[1]
        );
    }

    #[test]
    fn proportional_wraps_that_end_mid_sentence_are_joined() {
        let text =
            "Moscow released few details and there was no immediate outside confirmation of the
withdrawal, which the Kremlin said had always been planned despite Western \"hysteria\" over
a feared invasion of Ukraine.

It came amid an intense diplomatic effort to avert a war in Europe after Russia amassed more
than 100,000 troops on the borders of its pro-Western neighbor.";
        let out = unwrap_hard_wraps(text).unwrap();
        assert_eq!(out.lines().count(), 3, "{out}");
        assert!(out.contains("\"hysteria\" over a feared invasion"), "{out}");
    }

    #[test]
    fn hyphen_at_a_wrap_is_kept_without_a_space() {
        let text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh de-\nescalation was the word used by all of them\naaaa bbbb cccc dddd eeee ffff gggg hhhh iiii\njjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr\nend.";
        let out = unwrap_hard_wraps(text).unwrap();
        assert!(out.contains("hhhh de-escalation was"), "{out}");
    }

    #[test]
    fn one_paragraph_per_line_is_left_alone() {
        let text = "Short first paragraph.\nA much longer second paragraph that goes on and on about the events of the day and what the ministry said about them, at length, for the readers.\nThird one, medium length, not wrapped at all.\nFourth.";
        assert_eq!(unwrap_hard_wraps(text), None);
    }

    #[test]
    fn long_unwrapped_paragraphs_with_blank_lines_are_left_alone() {
        let long = "word ".repeat(80);
        let text = format!("{long}\n\n{long}\n\n{long}");
        assert_eq!(unwrap_hard_wraps(&text), None);
    }
}
