//! The Parallax desktop shell: opens a workspace and exposes the core to the web UI through
//! thin commands. All logic lives in `parallax-core`.

mod commands;
mod dialogs;
mod error;
mod recent;
mod session;
mod settings;
mod sync;

use std::path::PathBuf;

use parallax_core::Workspace;
use tauri::Manager;

use commands::AppState;
use session::Session;

/// Environment variable naming the workspace to open when no path is given on the command line.
pub const WORKSPACE_ENV: &str = "PARALLAX_WORKSPACE";

/// The workspace the user asked for: `parallax-app PATH`, else `$PARALLAX_WORKSPACE`. Arguments
/// starting with `-` are skipped (WebKitWebDriver adds `--automation`).
fn requested_workspace() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .or_else(|| std::env::var_os(WORKSPACE_ENV))
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Opens (or creates) the requested workspace; without one, the most recent workspace that
/// still exists, else the built-in demo workspace.
fn open_workspace(app: &tauri::App) -> Result<Workspace, Box<dyn std::error::Error>> {
    if let Some(path) = requested_workspace() {
        return Ok(Workspace::open_or_init(path)?);
    }
    let handle = app.handle();
    if let Some(last) = recent::load(handle)
        .into_iter()
        .find(|p| p.join(parallax_core::store::DB_FILE).is_file())
        && let Ok(ws) = Workspace::open(&last)
    {
        return Ok(ws);
    }
    let dir = app.path().app_data_dir()?.join("demo-workspace");
    Ok(parallax_core::demo::open_or_create(&dir)?)
}

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            if dialogs::seam_file().is_some() {
                // The end-to-end tests stand in for a file dropped from the desktop (which
                // WebDriver cannot do) by emitting the webview's drop event; only a debug build
                // run with the test seam may emit, never a user's.
                app.add_capability(
                    tauri::ipc::CapabilityBuilder::new("e2e-drop")
                        .window("main")
                        .permission("core:event:allow-emit"),
                )?;
            }
            let ws = open_workspace(app)?;
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&format!("Parallax — {}", ws.name()))?;
            }
            recent::remember(app.handle(), ws.root());
            let session = Session::start(app.handle(), ws);
            let annotator = settings::startup_annotator(app.handle());
            app.manage(AppState::new(session, annotator));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::remote::sync_status,
            commands::remote::sync_now,
            commands::remote::set_remote,
            commands::remote::sync_conflicts,
            commands::documents::annotator_name,
            commands::documents::annotator_saved,
            commands::documents::set_annotator_name,
            commands::documents::workspace_info,
            commands::documents::list_documents,
            commands::documents::document_position,
            commands::documents::document_facets,
            commands::documents::get_document,
            commands::documents::document_summary,
            commands::documents::get_schema,
            commands::documents::update_schema,
            commands::documents::set_status,
            commands::documents::set_metadata,
            commands::annotate::add_span,
            commands::annotate::set_span_label,
            commands::annotate::set_span_extent,
            commands::annotate::set_span_attribute,
            commands::annotate::set_span_note,
            commands::annotate::delete_span,
            commands::annotate::add_relation,
            commands::annotate::delete_relation,
            commands::annotate::set_doc_label,
            commands::suggest::suggestions,
            commands::suggest::accept_suggestion,
            commands::suggest::accept_all_suggestions,
            commands::suggest::reject_suggestion,
            commands::annotate::undo,
            commands::annotate::redo,
            commands::cross::list_source_entities,
            commands::cross::list_claim_groups,
            commands::cross::entity_suggestions,
            commands::cross::entity_mentions,
            commands::cross::create_entity_from_span,
            commands::cross::link_source_entity,
            commands::cross::update_source_entity,
            commands::cross::merge_source_entities,
            commands::cross::split_source_entity,
            commands::cross::claim_suggestions,
            commands::cross::start_claim_group,
            commands::cross::set_claim_group,
            commands::cross::group_claim_with_passage,
            commands::cross::update_claim_group,
            commands::cross::merge_claim_groups,
            commands::cross::delete_claim_group,
            commands::cross::compare_open,
            commands::cross::compare_rows,
            commands::teams::agreement,
            commands::teams::team_settings,
            commands::teams::set_team_settings,
            commands::teams::team_progress,
            commands::teams::document_layers,
            commands::teams::set_assignees,
            commands::teams::curation,
            commands::teams::merge_agreed,
            commands::teams::accept_version,
            commands::teams::reject_version,
            commands::teams::finish_curation,
            commands::search::index_status,
            commands::search::search_documents,
            commands::search::search_spans,
            commands::jobs::import_paths,
            commands::jobs::export_dataset,
            commands::jobs::reindex,
            commands::jobs::cancel_job,
            commands::workspaces::choose_paths,
            commands::workspaces::recent_workspaces,
            commands::workspaces::open_workspace,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Parallax app");
}

#[cfg(test)]
mod security_tests {
    //! What the page may do, as the shipped configuration says: fail when it grows.

    #[test]
    fn the_main_window_may_listen_to_events_and_nothing_more() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert_eq!(
            capability["permissions"],
            serde_json::json!(["core:event:allow-listen", "core:event:allow-unlisten"])
        );
        assert!(capability.get("remote").is_none());
    }

    #[test]
    fn the_content_security_policy_allows_only_the_app_and_its_ipc() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        let csp = config["app"]["security"]["csp"].as_str().unwrap();
        let directives: std::collections::HashMap<&str, Vec<&str>> = csp
            .split(';')
            .filter_map(|d| {
                let mut words = d.split_whitespace();
                Some((words.next()?, words.collect()))
            })
            .collect();
        for (name, want) in [
            ("default-src", vec!["'self'"]),
            ("script-src", vec!["'self'"]),
            ("style-src", vec!["'self'"]),
            ("img-src", vec!["'self'", "data:"]),
            ("font-src", vec!["'self'"]),
            ("connect-src", vec!["ipc:", "http://ipc.localhost"]),
            ("object-src", vec!["'none'"]),
            ("base-uri", vec!["'none'"]),
            ("form-action", vec!["'none'"]),
            ("frame-ancestors", vec!["'none'"]),
        ] {
            assert_eq!(directives.get(name), Some(&want), "{name} in {csp}");
        }
        assert_eq!(directives.len(), 10, "{csp}");
        // Tauri adds its own hashes for the bundled scripts; nothing may loosen them.
        assert_eq!(
            config["app"]["security"].get("dangerousDisableAssetCspModification"),
            None
        );
    }
}
