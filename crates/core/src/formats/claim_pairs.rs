//! Claim-matching training pairs: every pair of members of one claim group is a positive
//! (`label: 1`); as many negatives (`label: 0`) are sampled, each a claim paired with a claim of
//! another group, reproducibly from the seed. Claims in no group are left out: nobody has said
//! whether they match anything.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally};
use crate::ids::mix;
use crate::model::DocumentView;
use crate::store::CLAIM_LABEL;

struct Claim {
    id: String,
    group: String,
    text: String,
    doc_id: String,
    outlet: Option<String>,
}

#[derive(Serialize)]
struct Pair<'a> {
    text_a: &'a str,
    text_b: &'a str,
    label: u8,
    claim_a: &'a str,
    claim_b: &'a str,
    group_a: &'a str,
    group_b: &'a str,
    doc_a: &'a str,
    doc_b: &'a str,
    outlet_a: Option<&'a str>,
    outlet_b: Option<&'a str>,
}

pub(crate) struct Writer {
    seed: u64,
    claims: Vec<Claim>,
}

impl Writer {
    pub(crate) fn new(seed: u64) -> Writer {
        Writer {
            seed,
            claims: Vec::new(),
        }
    }
}

fn write_pair(out: &mut Vec<u8>, a: &Claim, b: &Claim, label: u8) -> Result<()> {
    serde_json::to_writer(
        &mut *out,
        &Pair {
            text_a: &a.text,
            text_b: &b.text,
            label,
            claim_a: &a.id,
            claim_b: &b.id,
            group_a: &a.group,
            group_b: &b.group,
            doc_a: &a.doc_id,
            doc_b: &b.doc_id,
            outlet_a: a.outlet.as_deref(),
            outlet_b: b.outlet.as_deref(),
        },
    )?;
    out.push(b'\n');
    Ok(())
}

impl StreamWriter for Writer {
    fn document(
        &mut self,
        doc: &DocumentView,
        _out: &mut Vec<u8>,
        _tally: &mut Tally,
    ) -> Result<()> {
        let d = &doc.document.summary;
        for s in doc.spans.iter().filter(|s| s.label == CLAIM_LABEL) {
            if let Some(group) = &s.claim_group {
                self.claims.push(Claim {
                    id: s.id.clone(),
                    group: group.clone(),
                    text: s.text.clone(),
                    doc_id: d.id.clone(),
                    outlet: d.meta.outlet.clone(),
                });
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let claims = &mut self.claims;
        claims.sort_by(|a, b| (&a.group, &a.id).cmp(&(&b.group, &b.id)));
        let mut positives = 0usize;
        let mut start = 0;
        while start < claims.len() {
            let end = start + claims[start..].partition_point(|c| c.group == claims[start].group);
            for i in start..end {
                for j in i + 1..end {
                    write_pair(out, &claims[i], &claims[j], 1)?;
                    positives += 1;
                }
            }
            start = end;
        }
        let groups: HashSet<&str> = claims.iter().map(|c| c.group.as_str()).collect();
        if groups.len() < 2 {
            return Ok(());
        }
        // Draws that hit one group or a pair already made are retried, a bounded number of
        // times: with few cross-group pairs there may be fewer negatives than positives.
        let wanted = positives;
        let max_draws = wanted as u64 * 64 + 1024;
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut draw = 0u64;
        let n = claims.len() as u64;
        let mut made = 0;
        while made < wanted && draw < max_draws {
            let i = (mix(self.seed ^ mix(draw)) % n) as usize;
            let j = (mix(self.seed.wrapping_add(1) ^ mix(draw)) % n) as usize;
            draw += 1;
            let key = (i.min(j), i.max(j));
            if claims[i].group == claims[j].group || !seen.insert(key) {
                continue;
            }
            write_pair(out, &claims[i], &claims[j], 0)?;
            made += 1;
        }
        Ok(())
    }
}
