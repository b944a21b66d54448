//! Bytes to text: BOM sniffing, UTF-16 without BOM, UTF-8, and a detected legacy encoding
//! (Windows-1252, Latin-1, ...) for the rest. Binary files are refused.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// Decoded text and the name of the encoding it was in.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a file's bytes, or says why it is not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[bom_len..]);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return strict(enc, bytes);
    }
    if bytes.contains(&0) {
        return Err("binary file (it contains NUL bytes), not text".into());
    }
    let decoded = match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        },
        Err(_) => {
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            strict(detector.guess(None, Utf8Detection::Deny), bytes)?
        }
    };
    if looks_binary(&decoded.text) {
        return Err("binary file (too many control characters), not text".into());
    }
    Ok(decoded)
}

fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, String> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(format!(
            "cannot be decoded: it is not valid {} text",
            enc.name()
        ));
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
    })
}

/// UTF-16 text without a BOM shows as NUL bytes in every other position (for mostly Latin text).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even * 20 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// More than 1% control characters (other than tab, newline, carriage return, form feed).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        if c.is_control()
            && !matches!(c, '\n' | '\r' | '\t' | '\x0c')
            && !('\u{80}'..='\u{9f}').contains(&c)
        {
            control += 1;
        }
    }
    control * 100 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("“Hi” — ok".as_bytes()).unwrap().text, "“Hi” — ok");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("café".as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(d.text, "café");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom_both_byte_orders() {
        let text = "Moscow’s “drills” ended 🙏";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap().text, text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap().text, text);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Plain English text in UTF-16 little endian, no byte order mark.";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le).unwrap().text, text);
    }

    #[test]
    fn windows_1252_is_detected_and_converted() {
        // “Défense” – the ministry’s café, in Windows-1252 bytes.
        let bytes = b"\x93D\xe9fense\x94 \x96 the ministry\x92s caf\xe9 said the d\xe9l\xe9gation \xe9tait pr\xeate.";
        let d = decode(bytes).unwrap();
        assert_eq!(
            d.text,
            "“Défense” – the ministry’s café said the délégation était prête."
        );
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn latin1_accents_are_converted() {
        let bytes = b"S\xe3o Paulo, segundo o minist\xe9rio, informou que a tropa voltou.";
        assert_eq!(
            decode(bytes).unwrap().text,
            "São Paulo, segundo o ministério, informou que a tropa voltou."
        );
    }

    #[test]
    fn binary_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10";
        assert!(decode(png).unwrap_err().contains("binary"));
        let controls: Vec<u8> = (0..200u8).map(|i| (i % 31) + 1).collect();
        assert!(decode(&controls).unwrap_err().contains("binary"));
    }

    #[test]
    fn broken_utf16_is_refused() {
        // A BOM followed by an unpaired high surrogate.
        let bytes = [0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00];
        assert!(decode(&bytes).unwrap_err().contains("UTF-16LE"));
    }
}
