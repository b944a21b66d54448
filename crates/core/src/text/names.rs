//! How alike two names of a source are: "Konashenkov", "Igor Konashenkov" and "Maj. Gen. Igor
//! Konashenkov" name one man; "Russia's Defense Ministry" and "the defence ministry" one body.
//! Titles, articles and possessives are dropped, the words of the shorter name are matched to
//! the longer one's by Jaro–Winkler (so transliterations such as "Konashenkow" still match), and
//! the score falls a little with each word the shorter name lacks.

/// Words that say what a person is, not who: dropped before comparing.
const TITLES: &[&str] = &[
    "the",
    "a",
    "an",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "gen",
    "general",
    "maj",
    "major",
    "lt",
    "lieutenant",
    "col",
    "colonel",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "adm",
    "admiral",
    "cmdr",
    "commander",
    "president",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "prime",
    "deputy",
    "chief",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "ambassador",
    "official",
    "officials",
    "st",
    "jr",
    "sr",
];

/// British and American spellings seen in news: compared as one word.
const SPELLINGS: &[(&str, &str)] = &[
    ("defence", "defense"),
    ("organisation", "organization"),
    ("programme", "program"),
    ("centre", "center"),
];

/// A word of another name counts as the same word from this likeness on.
const WORD_MATCH: f64 = 0.9;

/// The words a name is compared by: lower case, no titles, articles or possessives.
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter_map(|raw| {
            let lower = raw.to_lowercase();
            let word = lower
                .trim_end_matches("'s")
                .trim_end_matches("’s")
                .trim_matches(|c: char| !c.is_alphanumeric());
            let word = SPELLINGS
                .iter()
                .find(|(uk, _)| *uk == word)
                .map_or(word, |(_, us)| *us);
            (!word.is_empty() && !TITLES.contains(&word)).then(|| word.to_string())
        })
        .collect()
}

/// 0 to 1: 1 for the same name, about 0.9 when one is the other with a first name or title
/// more, 0 when they share no word.
pub fn name_likeness(a: &str, b: &str) -> f64 {
    let (a, b) = (name_words(a), name_words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let best = |w: &String| {
        long.iter()
            .map(|l| strsim::jaro_winkler(w, l))
            .fold(0.0, f64::max)
    };
    // The last word of a name is the one that identifies (a surname, "ministry"): it must match.
    let last = short.last().map(best).unwrap_or(0.0);
    if last < WORD_MATCH {
        return 0.0;
    }
    let matched: f64 = short.iter().map(best).filter(|s| *s >= WORD_MATCH).sum();
    let coverage = matched / short.len() as f64;
    coverage * (0.85 + 0.15 * short.len() as f64 / long.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_spokesman_are_alike() {
        let full = "Maj. Gen. Igor Konashenkov";
        assert!((name_likeness("Igor Konashenkov", full) - 1.0).abs() < 1e-9);
        assert!(name_likeness("Konashenkov", full) > 0.9);
        assert!(name_likeness("Konashenkov", "Igor Konashenkov") > 0.9);
        assert!(name_likeness("Konashenkow", "Igor Konashenkov") > 0.85);
        assert!(name_likeness("konashenkov's", "Konashenkov") > 0.99);
    }

    #[test]
    fn bodies_match_across_spellings_and_possessives() {
        let s = name_likeness("Russia's Defense Ministry", "the defence ministry");
        assert!(s > 0.9, "{s}");
        assert!(name_likeness("Defense Ministry", "the ministry") > 0.8);
    }

    #[test]
    fn different_people_do_not_match() {
        assert_eq!(name_likeness("Dmitry Peskov", "Igor Konashenkov"), 0.0);
        assert_eq!(name_likeness("Igor Peskov", "Igor Konashenkov"), 0.0);
        assert_eq!(name_likeness("the", "Igor Konashenkov"), 0.0);
        assert!(name_likeness("Kremlin", "Defense Ministry") < 0.5);
    }
}
