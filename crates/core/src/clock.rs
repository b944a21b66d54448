//! Timestamps and dates as the workspace stores them.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
const COMPACT_DATE: &[FormatItem<'static>] = format_description!("[year][month][day]");

/// Now, in UTC, as RFC 3339 with milliseconds (sorts as text).
pub fn now() -> String {
    OffsetDateTime::now_utc()
        .format(TIMESTAMP)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".into())
}

/// A calendar date given as `YYYY-MM-DD` or `YYYYMMDD`, if it is a real date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    Date::parse(s, DATE)
        .or_else(|_| Date::parse(s, COMPACT_DATE))
        .ok()
}

/// A date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    d.format(DATE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_both_forms_and_reject_impossible_ones() {
        assert_eq!(format_date(parse_date("20220215").unwrap()), "2022-02-15");
        assert_eq!(format_date(parse_date("2022-02-15").unwrap()), "2022-02-15");
        assert!(parse_date("2022-02-30").is_none());
        assert!(parse_date("20221315").is_none());
        assert!(parse_date("yesterday").is_none());
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = now();
        assert!(a.ends_with('Z') && a.len() == 24, "{a}");
    }
}
