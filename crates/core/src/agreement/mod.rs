//! How far annotators agree, over the documents that two or more of them took part in (by
//! annotating them or by being assigned them): span F1 with exact boundaries and with overlap,
//! Cohen's κ per pair on word tokens, Krippendorff's α on characters, α on document labels and
//! relation F1, per annotator pair, per label, per document and overall. The gold layer takes
//! no part unless it is named.

mod coefficients;
mod matching;
mod units;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{GOLD_LAYER, Layer, Workspace};
use coefficients::{Coincidences, Confusion};
pub use matching::Matched;
use matching::{Extent, Link, exact, overlapping};

/// Whose layers and which labels to compare.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementOptions {
    /// The annotators compared; empty means every annotator but `gold`.
    #[serde(default)]
    pub annotators: Vec<String>,
    /// The span labels compared; empty means every label the layers use.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// Span agreement, exact and by overlap, with the F1 of each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SpanAgreement {
    pub exact: Matched,
    pub overlap: Matched,
    /// `None` where neither side has a span.
    pub exact_f1: Option<f64>,
    pub overlap_f1: Option<f64>,
}

impl SpanAgreement {
    fn of(exact: Matched, overlap: Matched) -> SpanAgreement {
        SpanAgreement {
            exact,
            overlap,
            exact_f1: exact.f1(),
            overlap_f1: overlap.f1(),
        }
    }
}

/// Two annotators over the documents both took part in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PairAgreement {
    pub first: String,
    pub second: String,
    pub documents: u32,
    pub spans: SpanAgreement,
    /// Relations of the same type whose two ends match exactly.
    pub relations: Matched,
    pub relations_f1: Option<f64>,
    /// Cohen's κ on word tokens tagged with the label of the span over them (or none).
    pub kappa: Option<f64>,
}

/// One span label, over every pair.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LabelAgreement {
    pub label: String,
    pub spans: SpanAgreement,
    /// Krippendorff's α (nominal) with each character a unit: covered by the label or not.
    pub alpha: Option<f64>,
}

/// One document, over every pair of its annotators.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DocumentAgreement {
    pub doc_id: String,
    /// Its title, else its file name, else the start of its id.
    pub name: String,
    pub annotators: Vec<String>,
    pub spans: SpanAgreement,
    /// Spans that found no partner by overlap in another annotator's layer, over every pair.
    pub unmatched: u32,
    pub alpha: Option<f64>,
}

/// Everything at once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OverallAgreement {
    pub spans: SpanAgreement,
    pub relations: Matched,
    pub relations_f1: Option<f64>,
    /// Krippendorff's α over every label's characters together.
    pub alpha: Option<f64>,
    /// The mean of the pairs' Cohen's κ (Light's κ).
    pub mean_kappa: Option<f64>,
    /// Krippendorff's α (nominal) on document labels: each (document, label) a unit, set or not.
    pub doc_label_alpha: Option<f64>,
}

/// How far the annotators agree.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AgreementReport {
    pub annotators: Vec<String>,
    pub labels: Vec<String>,
    /// Documents that two or more of the annotators took part in: those compared.
    pub documents: u32,
    pub overall: OverallAgreement,
    pub pairs: Vec<PairAgreement>,
    pub by_label: Vec<LabelAgreement>,
    /// Most disagreement first.
    pub by_document: Vec<DocumentAgreement>,
}

/// One document's layers, as indices into the report's annotators and labels.
struct DocInput<'a> {
    doc_id: &'a str,
    layers: Vec<LayerInput<'a>>,
}

/// One annotator's layer of a document, sorted.
struct LayerInput<'a> {
    annotator: usize,
    spans: Vec<Extent>,
    links: Vec<Link>,
    doc_labels: Vec<&'a str>,
}

/// What one document adds up to.
#[derive(Default)]
struct DocResult {
    /// By `(first, second)` annotator index, then by label: exact and overlap.
    spans: BTreeMap<(usize, usize), BTreeMap<u32, (Matched, Matched)>>,
    relations: BTreeMap<(usize, usize), Matched>,
    tokens: BTreeMap<(usize, usize), Confusion>,
    /// By label.
    characters: BTreeMap<u32, Coincidences>,
    doc_labels: Coincidences,
}

impl Workspace {
    /// Agreement between annotators' layers (see the module's comment).
    pub fn agreement(&self, opts: &AgreementOptions) -> Result<AgreementReport> {
        let all = self.layers()?;
        let known: BTreeSet<&str> = all
            .values()
            .flat_map(|d| d.keys())
            .map(String::as_str)
            .collect();
        for name in &opts.annotators {
            if !known.contains(name.as_str()) {
                return Err(Error::AnnotatorNotFound(name.clone()));
            }
        }
        let annotators: Vec<String> = if opts.annotators.is_empty() {
            known
                .iter()
                .filter(|n| **n != GOLD_LAYER)
                .map(|n| n.to_string())
                .collect()
        } else {
            let set: BTreeSet<&String> = opts.annotators.iter().collect();
            set.into_iter().cloned().collect()
        };
        let who: HashMap<&str, usize> = annotators
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        // The documents compared, each with the layers of two or more of the annotators.
        let compared: Vec<(&String, Vec<(usize, &Layer)>)> = all
            .iter()
            .map(|(doc, layers)| {
                let mine: Vec<(usize, &Layer)> = layers
                    .iter()
                    .filter_map(|(n, l)| who.get(n.as_str()).map(|&i| (i, l)))
                    .collect();
                (doc, mine)
            })
            .filter(|(_, mine)| mine.len() >= 2)
            .collect();
        let labels: Vec<String> = if opts.labels.is_empty() {
            let used: BTreeSet<&str> = compared
                .iter()
                .flat_map(|(_, ls)| ls.iter().flat_map(|(_, l)| l.spans.iter()))
                .map(|s| &*s.label)
                .collect();
            used.into_iter().map(str::to_string).collect()
        } else {
            let set: BTreeSet<&String> = opts.labels.iter().collect();
            set.into_iter().cloned().collect()
        };
        let label_ix: HashMap<&str, u32> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i as u32))
            .collect();
        let mut kinds: BTreeSet<&str> = BTreeSet::new();
        let mut doc_label_names: BTreeSet<&str> = BTreeSet::new();
        for (_, ls) in &compared {
            for (_, l) in ls {
                kinds.extend(l.relations.iter().map(|r| &*r.label));
                doc_label_names.extend(l.doc_labels.iter().map(|d| &**d));
            }
        }
        let kind_ix: HashMap<&str, u32> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        let inputs: Vec<DocInput> = compared
            .iter()
            .map(|(doc, ls)| DocInput {
                doc_id: doc.as_str(),
                layers: ls
                    .iter()
                    .map(|(i, l)| {
                        let (spans, links) = extents(l, &label_ix, &kind_ix);
                        let mut doc_labels: Vec<&str> = l.doc_labels.iter().map(|d| &**d).collect();
                        doc_labels.sort_unstable();
                        LayerInput {
                            annotator: *i,
                            spans,
                            links,
                            doc_labels,
                        }
                    })
                    .collect(),
            })
            .collect();
        let ids: Vec<&str> = inputs.iter().map(|d| d.doc_id).collect();
        let texts = self.texts_of(&ids)?;
        let summaries = self.summaries_of(&ids)?;
        let doc_label_names: Vec<&str> = doc_label_names.into_iter().collect();
        let results: Vec<DocResult> = inputs
            .par_iter()
            .zip(texts.par_iter())
            .map(|(input, text)| {
                compare_document(
                    input,
                    text.as_deref().unwrap_or(""),
                    labels.len() as u32,
                    &doc_label_names,
                )
            })
            .collect();
        let mut report = summarise(&annotators, &labels, &inputs, &results);
        for (d, summary) in report.by_document.iter_mut().zip(&summaries) {
            if let Some(s) = summary {
                d.name = s.name();
            }
        }
        report.by_document.sort_by(|a, b| {
            let disagreement = |d: &DocumentAgreement| 1.0 - d.spans.overlap_f1.unwrap_or(1.0);
            disagreement(b)
                .total_cmp(&disagreement(a))
                .then(b.unmatched.cmp(&a.unmatched))
                .then(a.name.cmp(&b.name))
        });
        Ok(report)
    }
}

/// A layer's spans (of the labels compared) and relations (between such spans) as extents,
/// sorted.
fn extents(
    layer: &Layer,
    labels: &HashMap<&str, u32>,
    kinds: &HashMap<&str, u32>,
) -> (Vec<Extent>, Vec<Link>) {
    // Relations name their ends by key; most layers have none to resolve.
    let keep_keys = !layer.relations.is_empty();
    let mut by_key: HashMap<i64, Extent> = HashMap::new();
    let mut spans: Vec<Extent> = layer
        .spans
        .iter()
        .filter_map(|s| {
            let e = Extent {
                start: s.start,
                end: s.end,
                label: *labels.get(&*s.label)?,
            };
            if keep_keys {
                by_key.insert(s.key, e);
            }
            Some(e)
        })
        .collect();
    spans.sort_unstable();
    let mut links: Vec<Link> = layer
        .relations
        .iter()
        .filter_map(|r| {
            Some(Link {
                kind: *kinds.get(&*r.label)?,
                head: *by_key.get(&r.head)?,
                child: *by_key.get(&r.child)?,
            })
        })
        .collect();
    links.sort_unstable();
    (spans, links)
}

/// Every pair of one document's layers compared, and its units counted.
fn compare_document(input: &DocInput, text: &str, labels: u32, doc_labels: &[&str]) -> DocResult {
    let mut out = DocResult::default();
    let layers = &input.layers;
    let tokens = units::word_tokens(text);
    let tags: Vec<Vec<u32>> = layers
        .iter()
        .map(|l| units::tags(&tokens, &l.spans))
        .collect();
    for i in 0..layers.len() {
        for j in i + 1..layers.len() {
            // Annotator order, whatever the layers' order.
            let (first, second) = match layers[i].annotator < layers[j].annotator {
                true => (i, j),
                false => (j, i),
            };
            let (a, b) = (&layers[first], &layers[second]);
            let key = (a.annotator, b.annotator);
            let (sa, sb, la, lb) = (&a.spans, &b.spans, &a.links, &b.links);
            let (ta, tb) = (&tags[first], &tags[second]);
            let per_label = out.spans.entry(key).or_default();
            for label in 0..labels {
                let of = |s: &[Extent]| -> Vec<Extent> {
                    s.iter().filter(|e| e.label == label).copied().collect()
                };
                let (x, y) = (of(sa), of(sb));
                per_label.insert(label, (exact(&x, &y), overlapping(&x, &y)));
            }
            out.relations.insert(key, exact(la, lb));
            units::confusion(ta, tb, out.tokens.entry(key).or_default());
        }
    }
    let len = crate::offsets::char_len(text) as u32;
    let spans: Vec<&[Extent]> = layers.iter().map(|l| l.spans.as_slice()).collect();
    for label in 0..labels {
        units::characters(len, &spans, label, out.characters.entry(label).or_default());
    }
    for name in doc_labels {
        let values: Vec<u32> = layers
            .iter()
            .map(|l| u32::from(l.doc_labels.binary_search(name).is_ok()))
            .collect();
        out.doc_labels.add_unit(&values, 1.0);
    }
    out
}

/// The report from every document's results.
fn summarise(
    annotators: &[String],
    labels: &[String],
    inputs: &[DocInput],
    results: &[DocResult],
) -> AgreementReport {
    let mut pair_spans: BTreeMap<(usize, usize), (Matched, Matched)> = BTreeMap::new();
    let mut pair_relations: BTreeMap<(usize, usize), Matched> = BTreeMap::new();
    let mut pair_tokens: BTreeMap<(usize, usize), Confusion> = BTreeMap::new();
    let mut pair_documents: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    let mut label_spans: BTreeMap<u32, (Matched, Matched)> = BTreeMap::new();
    let mut label_chars: BTreeMap<u32, Coincidences> = BTreeMap::new();
    let mut all_chars = Coincidences::default();
    let mut doc_labels = Coincidences::default();
    let mut by_document = Vec::with_capacity(inputs.len());
    for (input, result) in inputs.iter().zip(results) {
        let (mut doc_exact, mut doc_overlap) = (Matched::default(), Matched::default());
        for (key, per_label) in &result.spans {
            *pair_documents.entry(*key).or_default() += 1;
            let pair = pair_spans.entry(*key).or_default();
            for (label, &(e, o)) in per_label {
                let l = label_spans.entry(*label).or_default();
                pair.0.add(e);
                pair.1.add(o);
                l.0.add(e);
                l.1.add(o);
                doc_exact.add(e);
                doc_overlap.add(o);
            }
        }
        for (key, m) in &result.relations {
            pair_relations.entry(*key).or_default().add(*m);
        }
        for (key, c) in &result.tokens {
            pair_tokens.entry(*key).or_default().merge(c);
        }
        let mut doc_chars = Coincidences::default();
        for (label, c) in &result.characters {
            label_chars.entry(*label).or_default().merge(c);
            doc_chars.merge(c);
        }
        all_chars.merge(&doc_chars);
        doc_labels.merge(&result.doc_labels);
        let mut names: Vec<String> = input
            .layers
            .iter()
            .map(|l| annotators[l.annotator].clone())
            .collect();
        names.sort();
        by_document.push(DocumentAgreement {
            doc_id: input.doc_id.to_string(),
            name: input.doc_id.chars().take(8).collect(),
            annotators: names,
            spans: SpanAgreement::of(doc_exact, doc_overlap),
            unmatched: doc_overlap.first + doc_overlap.second - 2 * doc_overlap.matched,
            alpha: doc_chars.alpha(),
        });
    }
    let pairs: Vec<PairAgreement> = pair_spans
        .iter()
        .map(|(&(a, b), &(e, o))| {
            let relations = pair_relations.get(&(a, b)).copied().unwrap_or_default();
            PairAgreement {
                first: annotators[a].clone(),
                second: annotators[b].clone(),
                documents: pair_documents.get(&(a, b)).copied().unwrap_or(0),
                spans: SpanAgreement::of(e, o),
                relations,
                relations_f1: relations.f1(),
                kappa: pair_tokens.get(&(a, b)).and_then(Confusion::kappa),
            }
        })
        .collect();
    let (mut exact_all, mut overlap_all, mut relations_all) =
        (Matched::default(), Matched::default(), Matched::default());
    for p in &pairs {
        exact_all.add(p.spans.exact);
        overlap_all.add(p.spans.overlap);
        relations_all.add(p.relations);
    }
    let kappas: Vec<f64> = pairs.iter().filter_map(|p| p.kappa).collect();
    let by_label = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let i = i as u32;
            let (e, o) = label_spans.get(&i).copied().unwrap_or_default();
            LabelAgreement {
                label: label.clone(),
                spans: SpanAgreement::of(e, o),
                alpha: label_chars.get(&i).and_then(Coincidences::alpha),
            }
        })
        .collect();
    AgreementReport {
        annotators: annotators.to_vec(),
        labels: labels.to_vec(),
        documents: inputs.len() as u32,
        overall: OverallAgreement {
            spans: SpanAgreement::of(exact_all, overlap_all),
            relations: relations_all,
            relations_f1: relations_all.f1(),
            alpha: all_chars.alpha(),
            mean_kappa: (!kappas.is_empty())
                .then(|| kappas.iter().sum::<f64>() / kappas.len() as f64),
            doc_label_alpha: doc_labels.alpha(),
        },
        pairs,
        by_label,
        by_document,
    }
}
