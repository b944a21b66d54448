//! `parallax sources`, `groups`, `group ...` and `entity ...`: source entities and claim groups
//! from the command line.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use parallax_core::cross::CompareFilter;
use parallax_core::store::{ClaimStatus, EntityEdit, GroupEdit, SourceKind};
use parallax_core::{Error, Workspace};

use crate::print;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    Person,
    Organisation,
    MediaOutlet,
    Document,
    Anonymous,
}

impl From<KindArg> for SourceKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Person => SourceKind::Person,
            KindArg::Organisation => SourceKind::Organisation,
            KindArg::MediaOutlet => SourceKind::MediaOutlet,
            KindArg::Document => SourceKind::Document,
            KindArg::Anonymous => SourceKind::Anonymous,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum VerdictArg {
    Unverified,
    Supported,
    Disputed,
    Refuted,
}

impl From<VerdictArg> for ClaimStatus {
    fn from(v: VerdictArg) -> Self {
        match v {
            VerdictArg::Unverified => ClaimStatus::Unverified,
            VerdictArg::Supported => ClaimStatus::Supported,
            VerdictArg::Disputed => ClaimStatus::Disputed,
            VerdictArg::Refuted => ClaimStatus::Refuted,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum GroupAction {
    /// Put CLAIM spans into a group, or into a new one
    #[command(group(clap::ArgGroup::new("target").required(true).args(["group", "new"])))]
    Add {
        /// The CLAIM span (repeatable)
        #[arg(long, required = true)]
        span: Vec<String>,
        /// An existing group
        #[arg(long)]
        group: Option<String>,
        /// A new group with this canonical wording
        #[arg(long, value_name = "WORDING")]
        new: Option<String>,
    },
    /// Group a claim with a passage of another document (as `parallax similar --span` lists
    /// them): the passage's CLAIM span, or a new one without the attribution, joins the claim's
    /// group (a new group worded as the claim when it has none)
    AddPassage {
        /// The CLAIM span whose group the passage joins
        #[arg(long)]
        span: String,
        /// The passage's document (id or unique prefix)
        #[arg(long)]
        doc: String,
        /// Start of the passage, in code points
        #[arg(long)]
        start: u32,
        /// End of the passage (exclusive), in code points
        #[arg(long)]
        end: u32,
    },
    /// Take CLAIM spans out of their group
    Remove {
        #[arg(long, required = true)]
        span: Vec<String>,
    },
    /// Change a group's wording or verification
    Set {
        #[arg(long)]
        group: String,
        #[arg(long, value_name = "WORDING")]
        canonical: Option<String>,
        #[arg(long, value_enum)]
        status: Option<VerdictArg>,
        /// Evidence URL (repeatable; replaces the list)
        #[arg(long, value_name = "URL")]
        evidence: Vec<String>,
        #[arg(long)]
        rationale: Option<String>,
    },
    /// Move every member of one group into another and delete the first
    Merge {
        #[arg(long)]
        from: String,
        #[arg(long)]
        into: String,
    },
    /// Delete a group; its claims stay, ungrouped
    Delete {
        #[arg(long)]
        group: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum EntityAction {
    /// Link SOURCE spans to an entity, or to a new one
    #[command(group(clap::ArgGroup::new("target").required(true).args(["entity", "new"])))]
    Link {
        /// The SOURCE span (repeatable)
        #[arg(long, required = true)]
        span: Vec<String>,
        #[arg(long)]
        entity: Option<String>,
        /// A new entity with this name
        #[arg(long, value_name = "NAME")]
        new: Option<String>,
        /// Kind of the new entity
        #[arg(long, value_enum, default_value_t = KindArg::Person)]
        kind: KindArg,
    },
    /// Unlink SOURCE spans from their entity
    Unlink {
        #[arg(long, required = true)]
        span: Vec<String>,
    },
    /// Entities a SOURCE span may name, best first
    Suggest {
        #[arg(long)]
        span: String,
        #[arg(long)]
        json: bool,
    },
    /// Unlinked SOURCE spans that name an entity
    Mentions {
        #[arg(long)]
        entity: String,
        #[arg(long)]
        json: bool,
    },
    /// Rename an entity, change its kind or aliases
    Set {
        #[arg(long)]
        entity: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Alias (repeatable; replaces the list)
        #[arg(long)]
        alias: Vec<String>,
    },
    /// Move every span of one entity to another and delete the first
    Merge {
        #[arg(long)]
        from: String,
        #[arg(long)]
        into: String,
    },
    /// Move some spans of an entity to a new entity
    Split {
        #[arg(long)]
        entity: String,
        #[arg(long, required = true)]
        span: Vec<String>,
        /// Name of the new entity
        #[arg(long)]
        name: String,
    },
}

pub(crate) fn sources(workspace: PathBuf, json: bool) -> Result<(), Error> {
    print::sources(&Workspace::open(&workspace)?.source_overviews()?, json)
}

pub(crate) fn groups(workspace: PathBuf, filter: CompareFilter, json: bool) -> Result<(), Error> {
    print::groups(
        &Workspace::open(&workspace)?.group_overviews(&filter)?,
        json,
    )
}

pub(crate) fn group(workspace: PathBuf, action: GroupAction, who: &str) -> Result<(), Error> {
    let mut ws = Workspace::open(&workspace)?;
    match action {
        GroupAction::Add { span, group, new } => {
            let id = match (group, new) {
                (Some(g), _) => {
                    ws.set_claim_group(&span, Some(&g), who)?;
                    g
                }
                (None, wording) => ws.start_claim_group(&span, wording.as_deref(), who)?.id,
            };
            println!("{} claim{} in group {id}", span.len(), plural(span.len()));
        }
        GroupAction::AddPassage {
            span,
            doc,
            start,
            end,
        } => {
            let added = ws.group_claim_with_passage(&span, &doc, start, end, who)?;
            println!(
                "{} claim {} of document {} in group {}",
                if added.created_span {
                    "new"
                } else {
                    "annotated"
                },
                added.span_id,
                added.doc_id,
                added.group_id
            );
        }
        GroupAction::Remove { span } => {
            ws.set_claim_group(&span, None, who)?;
            println!("{} claim{} ungrouped", span.len(), plural(span.len()));
        }
        GroupAction::Set {
            group,
            canonical,
            status,
            evidence,
            rationale,
        } => {
            let g = ws.update_claim_group(
                &group,
                GroupEdit {
                    canonical,
                    status: status.map(Into::into),
                    evidence: (!evidence.is_empty()).then_some(evidence),
                    rationale,
                },
                who,
            )?;
            println!("group {}: {} ({})", g.id, g.canonical, g.status.as_str());
        }
        GroupAction::Merge { from, into } => {
            let g = ws.merge_claim_groups(&from, &into, who)?;
            println!("merged into group {}: {}", g.id, g.canonical);
        }
        GroupAction::Delete { group } => {
            ws.delete_claim_group(&group, who)?;
            println!("deleted group {group}");
        }
    }
    Ok(())
}

pub(crate) fn entity(workspace: PathBuf, action: EntityAction, who: &str) -> Result<(), Error> {
    let mut ws = Workspace::open(&workspace)?;
    match action {
        EntityAction::Link {
            span,
            entity,
            new,
            kind,
        } => {
            let (id, rest) = match (entity, new) {
                (Some(e), _) => (e, &span[..]),
                // The first span makes the entity (one undoable step), the rest are linked.
                (None, name) => {
                    let e =
                        ws.create_entity_from_span(&span[0], name.as_deref(), kind.into(), who)?;
                    (e.id, &span[1..])
                }
            };
            ws.link_source_entity(rest, Some(&id), who)?;
            let e = ws.source_entity(&id)?;
            println!(
                "{} span{} linked to {} ({})",
                span.len(),
                plural(span.len()),
                e.name,
                e.id
            );
        }
        EntityAction::Unlink { span } => {
            ws.link_source_entity(&span, None, who)?;
            println!("{} span{} unlinked", span.len(), plural(span.len()));
        }
        EntityAction::Suggest { span, json } => {
            print::entity_suggestions(&ws.entity_suggestions(&span, 10)?, json)?
        }
        EntityAction::Mentions { entity, json } => {
            print::mentions(&ws.entity_mentions(&entity, 200)?, json)?
        }
        EntityAction::Set {
            entity,
            name,
            kind,
            alias,
        } => {
            let e = ws.update_source_entity(
                &entity,
                EntityEdit {
                    name,
                    kind: kind.map(Into::into),
                    aliases: (!alias.is_empty()).then_some(alias),
                },
                who,
            )?;
            println!("{} ({}): {}", e.name, e.kind.as_str(), e.aliases.join(", "));
        }
        EntityAction::Merge { from, into } => {
            let e = ws.merge_source_entities(&from, &into, who)?;
            println!("merged into {} ({})", e.name, e.id);
        }
        EntityAction::Split { entity, span, name } => {
            let e = ws.split_source_entity(&entity, &span, &name, who)?;
            println!(
                "{} span{} moved to {} ({})",
                span.len(),
                plural(span.len()),
                e.name,
                e.id
            );
        }
    }
    Ok(())
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
