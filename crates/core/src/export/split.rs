//! Reproducible train / dev / test splits. The unit that goes to one side is a document, or
//! (by group) every document connected through claim groups, so that the same claim carried by
//! two outlets never sits in train and test at once. Units are shuffled by a seeded hash of
//! their documents' content hashes (the same files and seed give the same split in any
//! workspace), then each goes to the split that most lacks its labels and its share of
//! documents: a greedy stratification by label.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::DocumentSummary;
use crate::store::Workspace;

/// What must stay on one side of a split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SplitBy {
    Document,
    /// Documents sharing a claim group stay together.
    #[default]
    Group,
}

/// A split into two (train, test) or three (train, dev, test) parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SplitSpec {
    /// Percentages adding up to 100, e.g. `[80, 10, 10]`.
    pub ratios: Vec<u32>,
    #[ts(type = "number")]
    pub seed: u64,
    #[serde(default)]
    pub by: SplitBy,
}

impl SplitSpec {
    /// Parses `80/10/10` or `90/10`.
    pub fn parse(ratios: &str, seed: u64, by: SplitBy) -> Result<SplitSpec> {
        let parts: Vec<u32> = ratios
            .split(['/', ','])
            .map(|p| p.trim().parse::<u32>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| {
                Error::InvalidSplit(format!(
                    "`{ratios}`: write two or three whole numbers, e.g. 80/10/10"
                ))
            })?;
        let spec = SplitSpec {
            ratios: parts,
            seed,
            by,
        };
        spec.check()?;
        Ok(spec)
    }

    fn check(&self) -> Result<()> {
        if !(2..=3).contains(&self.ratios.len()) {
            return Err(Error::InvalidSplit(
                "give two parts (train/test) or three (train/dev/test)".into(),
            ));
        }
        let total: u64 = self.ratios.iter().map(|&r| u64::from(r)).sum();
        if total != 100 {
            let parts: Vec<String> = self.ratios.iter().map(u32::to_string).collect();
            return Err(Error::InvalidSplit(format!(
                "the parts {} add up to {total}, not 100 (percentages, e.g. 80/10/10)",
                parts.join("/")
            )));
        }
        Ok(())
    }

    pub fn names(&self) -> &'static [&'static str] {
        if self.ratios.len() == 2 {
            &["train", "test"]
        } else {
            &["train", "dev", "test"]
        }
    }
}

/// A stable hash of a unit's key and the seed (FNV-1a, then mixed): the shuffle order.
fn order_key(key: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    crate::ids::mix(h ^ crate::ids::mix(seed))
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// One document's part in the split: its content hash, labels and claim groups.
pub struct SplitDoc {
    pub id: String,
    pub sha256: String,
    pub labels: Vec<String>,
    pub groups: Vec<String>,
}

/// Assigns documents to parts; returns each part's name and document ids in input order.
pub fn assign_docs(docs: &[SplitDoc], spec: &SplitSpec) -> Result<Vec<(String, Vec<String>)>> {
    spec.check()?;
    // Units: documents joined through shared claim groups (by group), else one each.
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    if spec.by == SplitBy::Group {
        let mut first_with: HashMap<&str, usize> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            for g in &d.groups {
                match first_with.get(g.as_str()) {
                    Some(&j) => {
                        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                        parent[a] = b;
                    }
                    None => {
                        first_with.insert(g, i);
                    }
                }
            }
        }
    }
    let mut units: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..docs.len() {
        let root = find(&mut parent, i);
        units.entry(root).or_default().push(i);
    }
    let mut units: Vec<(u64, Vec<usize>)> = units
        .into_values()
        .map(|members| {
            let key = members
                .iter()
                .map(|&i| docs[i].sha256.as_str())
                .min()
                .unwrap_or_default();
            (order_key(key, spec.seed), members)
        })
        .collect();
    units.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));

    let sum: f64 = spec.ratios.iter().map(|&r| r as f64).sum();
    let share: Vec<f64> = spec.ratios.iter().map(|&r| r as f64 / sum).collect();
    let n_docs = docs.len().max(1) as f64;
    let mut label_total: HashMap<&str, f64> = HashMap::new();
    for d in docs {
        for l in &d.labels {
            *label_total.entry(l.as_str()).or_default() += 1.0;
        }
    }
    let parts = spec.ratios.len();
    let mut doc_count = vec![0f64; parts];
    let mut label_count: Vec<HashMap<&str, f64>> = vec![HashMap::new(); parts];
    let mut part_of = vec![0usize; docs.len()];
    for (_, members) in &units {
        let size = members.len() as f64;
        let mut unit_labels: HashMap<&str, f64> = HashMap::new();
        for &i in members {
            for l in &docs[i].labels {
                *unit_labels.entry(l.as_str()).or_default() += 1.0;
            }
        }
        // How far each part is below its share, after taking this unit, in documents and in
        // each label the unit carries (both as fractions of the whole).
        let lack = |p: usize| -> f64 {
            let mut lack = share[p] - (doc_count[p] + size) / n_docs;
            for (l, n) in &unit_labels {
                let total = label_total[l];
                let have = label_count[p].get(l).copied().unwrap_or(0.0);
                lack += share[p] - (have + n) / total;
            }
            lack
        };
        let best = (0..parts)
            .filter(|&p| spec.ratios[p] > 0)
            .max_by(|&a, &b| lack(a).total_cmp(&lack(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        doc_count[best] += size;
        for (l, n) in unit_labels {
            *label_count[best].entry(l).or_default() += n;
        }
        for &i in members {
            part_of[i] = best;
        }
    }
    Ok(spec
        .names()
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let ids = docs
                .iter()
                .zip(&part_of)
                .filter(|&(_, &q)| q == p)
                .map(|(d, _)| d.id.clone())
                .collect();
            (name.to_string(), ids)
        })
        .collect())
}

/// Assigns the selected documents of a workspace to parts, reading their labels and groups.
pub fn assign(
    ws: &Workspace,
    selected: &[DocumentSummary],
    spec: &SplitSpec,
) -> Result<Vec<(String, Vec<String>)>> {
    let mut annotated = ws.labels_and_groups()?;
    let docs: Vec<SplitDoc> = selected
        .iter()
        .map(|d| {
            let found = annotated.remove(&d.id).unwrap_or_default();
            SplitDoc {
                id: d.id.clone(),
                sha256: d.sha256.clone(),
                labels: found.labels,
                groups: found.groups,
            }
        })
        .collect();
    assign_docs(&docs, spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(n: usize) -> Vec<SplitDoc> {
        (0..n)
            .map(|i| SplitDoc {
                id: format!("d{i}"),
                sha256: format!("{:064x}", i * 7919),
                labels: if i % 10 == 0 {
                    vec!["RARE".into(), "CLAIM".into()]
                } else {
                    vec!["CLAIM".into()]
                },
                // Documents 0..30 pair up through groups: (0,1), (2,3), ...
                groups: if i < 30 {
                    vec![format!("g{}", i / 2)]
                } else {
                    vec![]
                },
            })
            .collect()
    }

    fn part_of(parts: &[(String, Vec<String>)], id: &str) -> usize {
        parts
            .iter()
            .position(|(_, ids)| ids.iter().any(|x| x == id))
            .unwrap()
    }

    #[test]
    fn parts_follow_the_ratios_and_hold_every_document_once() {
        let docs = corpus(200);
        let spec = SplitSpec::parse("80/10/10", 7, SplitBy::Group).unwrap();
        let parts = assign_docs(&docs, &spec).unwrap();
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["train", "dev", "test"]);
        let sizes: Vec<usize> = parts.iter().map(|(_, ids)| ids.len()).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 200);
        assert!((155..=165).contains(&sizes[0]), "{sizes:?}");
        assert!((16..=24).contains(&sizes[1]), "{sizes:?}");
        assert!((16..=24).contains(&sizes[2]), "{sizes:?}");
    }

    #[test]
    fn a_claim_group_never_straddles_two_parts() {
        let docs = corpus(200);
        for seed in 0..20 {
            let spec = SplitSpec::parse("50/25/25", seed, SplitBy::Group).unwrap();
            let parts = assign_docs(&docs, &spec).unwrap();
            for pair in 0..15 {
                assert_eq!(
                    part_of(&parts, &format!("d{}", 2 * pair)),
                    part_of(&parts, &format!("d{}", 2 * pair + 1)),
                    "seed {seed}, group g{pair}"
                );
            }
        }
    }

    #[test]
    fn by_document_may_separate_a_group() {
        let docs = corpus(200);
        let separated = (0..20).any(|seed| {
            let spec = SplitSpec::parse("50/50", seed, SplitBy::Document).unwrap();
            let parts = assign_docs(&docs, &spec).unwrap();
            (0..15).any(|p| {
                part_of(&parts, &format!("d{}", 2 * p))
                    != part_of(&parts, &format!("d{}", 2 * p + 1))
            })
        });
        assert!(separated);
    }

    #[test]
    fn a_rare_label_is_spread_over_the_parts() {
        let docs = corpus(200);
        let spec = SplitSpec::parse("80/10/10", 3, SplitBy::Document).unwrap();
        let parts = assign_docs(&docs, &spec).unwrap();
        let rare: Vec<usize> = parts
            .iter()
            .map(|(_, ids)| {
                ids.iter()
                    .filter(|id| id[1..].parse::<usize>().unwrap() % 10 == 0)
                    .count()
            })
            .collect();
        assert_eq!(rare.iter().sum::<usize>(), 20);
        assert!(
            (15..=17).contains(&rare[0]) && rare[1] >= 1 && rare[2] >= 1,
            "{rare:?}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_split_and_another_seed_another() {
        let docs = corpus(100);
        let spec = |seed| SplitSpec::parse("80/20", seed, SplitBy::Group).unwrap();
        assert_eq!(
            assign_docs(&docs, &spec(1)).unwrap(),
            assign_docs(&docs, &spec(1)).unwrap()
        );
        assert_ne!(
            assign_docs(&docs, &spec(1)).unwrap(),
            assign_docs(&docs, &spec(2)).unwrap()
        );
    }

    #[test]
    fn malformed_ratios_are_refused_with_a_hint() {
        for bad in ["80", "80/10/5/5", "a/b", "0/0", "-10/110"] {
            let err = SplitSpec::parse(bad, 0, SplitBy::Group).unwrap_err();
            assert!(matches!(err, Error::InvalidSplit(_)), "{bad}: {err}");
        }
        let err = SplitSpec::parse("80/30/10", 0, SplitBy::Group).unwrap_err();
        assert!(err.to_string().contains("add up to 120, not 100"), "{err}");
        // The check also guards specs that come from the app, not from text.
        let from_app = SplitSpec {
            ratios: vec![50, 60],
            seed: 0,
            by: SplitBy::Group,
        };
        assert!(assign_docs(&[], &from_app).is_err());
    }
}
