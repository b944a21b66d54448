//! Metadata that news files carry inside their text: an inline ` date YYYY-MM-DD ` prefix, a
//! title / `YYYYMMDD` / URL header, and a trailing "originally belongs to X" line. The header
//! goes to metadata and out of the text; the trailer only names the outlet (it stays, as part of
//! the site's boilerplate, for the BOILERPLATE label).

use std::sync::LazyLock;

use regex::Regex;

use crate::clock::{format_date, parse_date};

/// What a file's header said.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// From the URL's domain or a trailer line.
    pub outlet: Option<String>,
}

static DATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+").expect("static regex")
});
static URL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\A\s*(https?://\S+)\s*\z").expect("static regex"));
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)originally belongs to[ \t]+([a-z0-9][a-z0-9.\-]*\.[a-z]{2,})[ \t]*\.?[ \t]*$")
        .expect("static regex")
});

/// Splits the header off a text (already with LF line ends). Returns what it found and the
/// text without it.
pub fn extract(text: &str) -> (Header, &str) {
    let mut header = Header::default();
    let mut body = text;
    if let Some(c) = DATE_PREFIX.captures(body)
        && let Some(date) = parse_date(&c[1])
    {
        header.published = Some(format_date(date));
        body = &body[c.get(0).map_or(0, |m| m.end())..];
    }
    body = strip_header_lines(body, &mut header);
    if let Some(url) = &header.url {
        header.outlet = outlet_from_url(url);
    }
    if header.outlet.is_none() {
        header.outlet = TRAILER
            .captures(body)
            .map(|c| c[1].trim_end_matches('.').to_ascii_lowercase());
    }
    (header, body)
}

enum LineKind {
    Date(String),
    Url(String),
    Other,
}

fn classify(line: &str) -> LineKind {
    let t = line.trim();
    if t.len() <= 10
        && t.chars().all(|c| c.is_ascii_digit() || c == '-')
        && let Some(d) = parse_date(t)
    {
        return LineKind::Date(format_date(d));
    }
    if let Some(c) = URL_LINE.captures(t) {
        return LineKind::Url(c[1].to_string());
    }
    LineKind::Other
}

/// Consumes a block of leading lines: an optional title, then date and URL lines. The block only
/// counts if it has at least one date or URL line right after the title.
fn strip_header_lines<'t>(text: &'t str, header: &mut Header) -> &'t str {
    let lines: Vec<&str> = text.split_inclusive('\n').take(4).collect();
    let mut idx = 0;
    let mut title = None;
    if let (Some(first), Some(second)) = (lines.first(), lines.get(1))
        && matches!(classify(first), LineKind::Other)
        && !matches!(classify(second), LineKind::Other)
    {
        let t = first.trim();
        if !t.is_empty() && t.chars().count() <= 300 {
            title = Some(t.to_string());
            idx = 1;
        }
    }
    let mut consumed_any = false;
    while let Some(line) = lines.get(idx) {
        match classify(line) {
            LineKind::Date(d) if header.published.is_none() => header.published = Some(d),
            LineKind::Url(u) if header.url.is_none() => header.url = Some(u),
            _ => break,
        }
        consumed_any = true;
        idx += 1;
    }
    if !consumed_any {
        return text;
    }
    header.title = title;
    let cut: usize = lines[..idx].iter().map(|l| l.len()).sum();
    &text[cut..]
}

/// `https://www.presstv.ir/Detail/...` → `presstv.ir`.
pub fn outlet_from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_date_prefix_goes_to_metadata() {
        let (h, body) = extract(" date 2022-02-15 Some troops are returning to bases.\n\nMore.");
        assert_eq!(h.published.as_deref(), Some("2022-02-15"));
        assert_eq!(body, "Some troops are returning to bases.\n\nMore.");
        assert_eq!(h.title, None);
    }

    #[test]
    fn title_date_url_header_goes_to_metadata() {
        let text = "Some Russian troops return\n20220215\nhttps://www.presstv.ir/Detail/2022/02/15/676879/x\n\"Units ...\" said Igor.\nNext.";
        let (h, body) = extract(text);
        assert_eq!(h.title.as_deref(), Some("Some Russian troops return"));
        assert_eq!(h.published.as_deref(), Some("2022-02-15"));
        assert_eq!(
            h.url.as_deref(),
            Some("https://www.presstv.ir/Detail/2022/02/15/676879/x")
        );
        assert_eq!(h.outlet.as_deref(), Some("presstv.ir"));
        assert_eq!(body, "\"Units ...\" said Igor.\nNext.");
    }

    #[test]
    fn a_first_line_without_a_date_or_url_after_it_stays_in_the_text() {
        let text = "Russia said Tuesday it was pulling back.\nMoscow released few details.";
        let (h, body) = extract(text);
        assert_eq!(h, Header::default());
        assert_eq!(body, text);
    }

    #[test]
    fn an_impossible_date_is_not_taken_for_a_header() {
        let text = " date 2022-02-31 Text.";
        let (h, body) = extract(text);
        assert_eq!(h.published, None);
        assert_eq!(body, text);
    }

    #[test]
    fn trailer_names_the_outlet_but_stays() {
        let text =
            "Body.\n\nSource: | This article originally belongs to Nbcnews.com\n\nLeave a Reply";
        let (h, body) = extract(text);
        assert_eq!(h.outlet.as_deref(), Some("nbcnews.com"));
        assert_eq!(body, text);
    }

    #[test]
    fn url_only_header() {
        let (h, body) = extract("https://news.example.org/a/b\nText here.");
        assert_eq!(h.url.as_deref(), Some("https://news.example.org/a/b"));
        assert_eq!(h.outlet.as_deref(), Some("news.example.org"));
        assert_eq!(body, "Text here.");
    }
}
