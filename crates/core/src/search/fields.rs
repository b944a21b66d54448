//! The tantivy schema of the search index and the analyzer its text fields share with the
//! highlighter: words split on non-alphanumerics, lowercased, accents folded ("Zoë" = "zoe").

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TextAnalyzerBuilder, Tokenizer,
};

/// Name under which the analyzer is registered with the index.
pub const ANALYZER: &str = "parallax";

/// The analyzer of every text field; also used to find matches for highlighting.
pub fn analyzer() -> TextAnalyzer {
    words().build()
}

/// The analyzer's steps, for analyzers that build on its words.
pub fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// Record kinds in the index.
pub const KIND_DOC: &str = "doc";
pub const KIND_SPAN: &str = "span";

/// The index's fields. Document records and span records share one schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub doc_id: Field,
    pub span_id: Field,
    pub title: Field,
    /// The document text (document records only, so that more-like-this and phrase queries
    /// over it need no record-kind filter and tantivy can prune by score).
    pub text: Field,
    /// The document text's adjacent word pairs, for phrases (see `pairs.rs`).
    pub text_pairs: Field,
    /// The span's text (span records only).
    pub span_text: Field,
    pub outlet: Field,
    pub status: Field,
    /// Labels present (document) or the label (span), lowercased.
    pub label: Field,
    pub annotator: Field,
    pub lang: Field,
    /// Span attributes as `name=value`, lowercased.
    pub attr: Field,
    /// Published date as the number YYYYMMDD, for ranges and sorting.
    pub published: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            kind: b.add_text_field("kind", STRING),
            doc_id: b.add_text_field("doc_id", STRING | STORED),
            // Only read back from hits, never searched.
            span_id: b.add_text_field("span_id", STORED),
            title: b.add_text_field("title", text.clone()),
            // Phrases over the text go to its word pairs, so its words need no positions.
            text: b.add_text_field(
                "text",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
            text_pairs: b.add_text_field(
                "text_pairs",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(super::pairs::PAIR_ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
            span_text: b.add_text_field("span_text", text.clone()),
            outlet: b.add_text_field("outlet", text),
            status: b.add_text_field("status", STRING),
            label: b.add_text_field("label", STRING),
            annotator: b.add_text_field("annotator", STRING),
            lang: b.add_text_field("lang", STRING),
            attr: b.add_text_field("attr", STRING),
            published: b.add_u64_field("published", INDEXED | FAST),
        };
        (b.build(), fields)
    }

    /// The fields of an index made with [`Fields::schema`].
    pub fn of(index: &Index) -> tantivy::Result<Fields> {
        let s = index.schema();
        Ok(Fields {
            kind: s.get_field("kind")?,
            doc_id: s.get_field("doc_id")?,
            span_id: s.get_field("span_id")?,
            title: s.get_field("title")?,
            text: s.get_field("text")?,
            text_pairs: s.get_field("text_pairs")?,
            span_text: s.get_field("span_text")?,
            outlet: s.get_field("outlet")?,
            status: s.get_field("status")?,
            label: s.get_field("label")?,
            annotator: s.get_field("annotator")?,
            lang: s.get_field("lang")?,
            attr: s.get_field("attr")?,
            published: s.get_field("published")?,
        })
    }
}

/// `2022-02-15` → 20220215.
pub fn date_number(date: &str) -> Option<u64> {
    let d = crate::clock::parse_date(date)?;
    Some(d.year() as u64 * 10_000 + u8::from(d.month()) as u64 * 100 + d.day() as u64)
}
