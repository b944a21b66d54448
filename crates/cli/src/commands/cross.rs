//! Across outlets: source entities, claim groups, and the commands that link and merge them.

use std::path::PathBuf;

use clap::Subcommand;
use parallax_core::cross::CompareFilter;
use parallax_core::store::{ClaimStatus, EntityEdit, GroupEdit, SourceKind};
use parallax_core::{Error, Workspace};

use super::Annotator;
use crate::print;

#[derive(clap::Args)]
pub struct SourcesArgs {
    workspace: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn sources(args: SourcesArgs) -> Result<(), Error> {
    print::sources(
        &Workspace::open(&args.workspace)?.source_overviews()?,
        args.json,
    )
}

#[derive(clap::Args)]
pub struct GroupsArgs {
    workspace: PathBuf,
    /// Only groups with this verification status (repeatable)
    #[arg(long, value_enum)]
    status: Vec<ClaimStatus>,
    /// Only groups with a claim attributed to this source entity
    #[arg(long)]
    entity: Option<String>,
    /// Only groups carried by this outlet (repeatable)
    #[arg(long)]
    outlet: Vec<String>,
    /// Only groups whose figures disagree
    #[arg(long)]
    conflicts: bool,
    #[arg(long)]
    json: bool,
}

pub fn groups(args: GroupsArgs) -> Result<(), Error> {
    let filter = CompareFilter {
        statuses: args.status,
        entity: args.entity,
        outlets: args.outlet,
        conflicts_only: args.conflicts,
    };
    print::groups(
        &Workspace::open(&args.workspace)?.group_overviews(&filter)?,
        args.json,
    )
}

#[derive(clap::Args)]
pub struct GroupArgs {
    workspace: PathBuf,
    #[command(subcommand)]
    action: GroupAction,
    #[command(flatten)]
    who: Annotator,
}

#[derive(clap::Args)]
pub struct EntityArgs {
    workspace: PathBuf,
    #[command(subcommand)]
    action: EntityAction,
    #[command(flatten)]
    who: Annotator,
}

#[derive(Subcommand)]
enum GroupAction {
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
        status: Option<ClaimStatus>,
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
enum EntityAction {
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
        #[arg(long, value_enum, default_value_t = SourceKind::Person)]
        kind: SourceKind,
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
        kind: Option<SourceKind>,
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

pub fn group(args: GroupArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let who = &args.who.annotator;
    match args.action {
        GroupAction::Add { span, group, new } => {
            let id = match (group, new) {
                (Some(g), _) => {
                    ws.set_claim_group(&span, Some(&g), who)?;
                    g
                }
                (None, wording) => ws.start_claim_group(&span, wording.as_deref(), who)?.id,
            };
            println!(
                "{} claim{} in group {id}",
                span.len(),
                print::plural(span.len())
            );
        }
        GroupAction::AddPassage {
            span,
            doc,
            start,
            end,
        } => {
            let added = ws.group_claim_with_passage(&span, &doc, start, end, false, who)?;
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
            println!(
                "{} claim{} ungrouped",
                span.len(),
                print::plural(span.len())
            );
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
                    status,
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

pub fn entity(args: EntityArgs) -> Result<(), Error> {
    let mut ws = Workspace::open(&args.workspace)?;
    let who = &args.who.annotator;
    match args.action {
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
                    let e = ws.create_entity_from_span(&span[0], name.as_deref(), kind, who)?;
                    (e.id, &span[1..])
                }
            };
            ws.link_source_entity(rest, Some(&id), who)?;
            let e = ws.source_entity(&id)?;
            println!(
                "{} span{} linked to {} ({})",
                span.len(),
                print::plural(span.len()),
                e.name,
                e.id
            );
        }
        EntityAction::Unlink { span } => {
            ws.link_source_entity(&span, None, who)?;
            println!("{} span{} unlinked", span.len(), print::plural(span.len()));
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
                    kind,
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
                print::plural(span.len()),
                e.name,
                e.id
            );
        }
    }
    Ok(())
}
