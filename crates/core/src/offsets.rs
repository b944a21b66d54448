//! Offsets in a text, converted between Unicode code points (the engine's unit, as Python,
//! spaCy, brat and the W3C TextPositionSelector count), UTF-16 code units (JavaScript, Label
//! Studio, WebAnno) and UTF-8 bytes (Rust strings, tantivy). This is the one place that converts.

/// A conversion table over one text. Build it once per text and convert many offsets.
///
/// Every offset is a boundary *between* characters, from 0 to the length inclusive. A
/// conversion returns `None` for an offset past the end or one that falls inside a character
/// (inside a UTF-8 sequence, or between the two halves of a surrogate pair).
#[derive(Debug, Clone)]
pub struct OffsetMap<'a> {
    text: &'a str,
    /// Empty when the text is ASCII, where all three units coincide.
    byte_of_cp: Vec<u32>,
    utf16_of_cp: Vec<u32>,
}

impl<'a> OffsetMap<'a> {
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return OffsetMap {
                text,
                byte_of_cp: Vec::new(),
                utf16_of_cp: Vec::new(),
            };
        }
        let mut byte_of_cp = Vec::with_capacity(text.len() + 1);
        let mut utf16_of_cp = Vec::with_capacity(text.len() + 1);
        let mut utf16 = 0u32;
        for (byte, ch) in text.char_indices() {
            byte_of_cp.push(byte as u32);
            utf16_of_cp.push(utf16);
            utf16 += ch.len_utf16() as u32;
        }
        byte_of_cp.push(text.len() as u32);
        utf16_of_cp.push(utf16);
        OffsetMap {
            text,
            byte_of_cp,
            utf16_of_cp,
        }
    }

    fn is_ascii(&self) -> bool {
        self.byte_of_cp.is_empty()
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        if self.is_ascii() {
            self.text.len()
        } else {
            self.byte_of_cp.len() - 1
        }
    }

    /// Length of the text in UTF-16 code units.
    pub fn utf16_len(&self) -> usize {
        if self.is_ascii() {
            self.text.len()
        } else {
            *self.utf16_of_cp.last().unwrap_or(&0) as usize
        }
    }

    pub fn cp_to_byte(&self, cp: usize) -> Option<usize> {
        if self.is_ascii() {
            return (cp <= self.text.len()).then_some(cp);
        }
        self.byte_of_cp.get(cp).map(|&b| b as usize)
    }

    pub fn byte_to_cp(&self, byte: usize) -> Option<usize> {
        if self.is_ascii() {
            return (byte <= self.text.len()).then_some(byte);
        }
        self.byte_of_cp.binary_search(&(byte as u32)).ok()
    }

    pub fn cp_to_utf16(&self, cp: usize) -> Option<usize> {
        if self.is_ascii() {
            return (cp <= self.text.len()).then_some(cp);
        }
        self.utf16_of_cp.get(cp).map(|&u| u as usize)
    }

    pub fn utf16_to_cp(&self, unit: usize) -> Option<usize> {
        if self.is_ascii() {
            return (unit <= self.text.len()).then_some(unit);
        }
        self.utf16_of_cp.binary_search(&(unit as u32)).ok()
    }

    /// The text between two code point offsets, `[start, end)`.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        let (s, e) = (self.cp_to_byte(start)?, self.cp_to_byte(end)?);
        self.text.get(s..e)
    }
}

/// Length of a text in code points.
pub fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity_and_bounded() {
        let m = OffsetMap::new("hello");
        assert_eq!(m.char_len(), 5);
        assert_eq!(m.cp_to_byte(5), Some(5));
        assert_eq!(m.cp_to_byte(6), None);
        assert_eq!(m.utf16_to_cp(3), Some(3));
        assert_eq!(m.slice(1, 4), Some("ell"));
        assert_eq!(m.slice(4, 1), None);
    }

    #[test]
    fn emoji_counts_one_code_point_two_utf16_units_four_bytes() {
        let text = "a🙏b";
        let m = OffsetMap::new(text);
        assert_eq!(m.char_len(), 3);
        assert_eq!(m.utf16_len(), 4);
        assert_eq!(m.cp_to_byte(2), Some(5));
        assert_eq!(m.cp_to_utf16(2), Some(3));
        assert_eq!(m.utf16_to_cp(3), Some(2));
        // Between the two halves of the surrogate pair: no code point boundary there.
        assert_eq!(m.utf16_to_cp(2), None);
        assert_eq!(m.byte_to_cp(2), None);
        assert_eq!(m.byte_to_cp(5), Some(2));
        assert_eq!(m.slice(1, 2), Some("🙏"));
    }

    #[test]
    fn combining_marks_are_code_points_of_their_own() {
        // "Zoë" with e + U+0308 COMBINING DIAERESIS: four code points, not three.
        let text = "Zoe\u{308} said";
        let m = OffsetMap::new(text);
        assert_eq!(m.char_len(), 9);
        assert_eq!(m.slice(0, 4), Some("Zoe\u{308}"));
        assert_eq!(m.cp_to_utf16(4), Some(4));
        assert_eq!(m.cp_to_byte(4), Some(5));
    }

    #[test]
    fn curly_quotes_and_dashes_are_one_unit_in_utf16() {
        let text = "“We’ll see” — she said";
        let m = OffsetMap::new(text);
        let start = text[..text.find("she").unwrap()].chars().count();
        assert_eq!(m.cp_to_utf16(start), Some(start));
        assert_eq!(m.slice(start, start + 3), Some("she"));
        assert_eq!(m.cp_to_byte(1), Some(3));
    }

    #[test]
    fn crlf_counts_two_code_points() {
        let m = OffsetMap::new("a\r\nb€");
        assert_eq!(m.char_len(), 5);
        assert_eq!(m.slice(3, 5), Some("b€"));
        assert_eq!(m.cp_to_byte(5), Some(7));
    }

    #[test]
    fn conversions_round_trip_at_every_boundary() {
        let text = "x\u{1F600}é\u{301}\r\n“q” 𝄞z";
        let m = OffsetMap::new(text);
        for cp in 0..=m.char_len() {
            let b = m.cp_to_byte(cp).unwrap();
            assert_eq!(m.byte_to_cp(b), Some(cp));
            let u = m.cp_to_utf16(cp).unwrap();
            assert_eq!(m.utf16_to_cp(u), Some(cp));
        }
        assert_eq!(m.char_len(), char_len(text));
        assert_eq!(m.utf16_len(), text.encode_utf16().count());
        assert_eq!(m.cp_to_byte(m.char_len() + 1), None);
    }
}
