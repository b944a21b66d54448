/**
 * Working as a team in the app: the workspace's team settings, everyone's progress, the open
 * document's layers and assignees, and which layers the reader draws (remembered on this
 * computer). All IPC goes through `$lib/api`.
 */
import * as api from "$lib/api";
import { recall, remember } from "$lib/remembered";
import type { AnnotatorProgress } from "$lib/bindings/AnnotatorProgress";
import type { LayerSummary } from "$lib/bindings/LayerSummary";
import type { Span } from "$lib/bindings/Span";
import type { TeamProgress } from "$lib/bindings/TeamProgress";
import type { TeamSettings } from "$lib/bindings/TeamSettings";
import type { Feedback } from "$lib/host";
import { defaultLayersMode, GOLD_LAYER, isLayersMode, layerColor, splitLayers, type LayersMode } from "$lib/layers";

/** Where the reader's layers mode is kept (localStorage). */
export const LAYERS_MODE_KEY = "parallax.layersMode";

/** What the team store needs of the workbench. */
export interface TeamHost extends Feedback {
  /** Who is annotating. */
  readonly annotator: string;
  readonly search: { readonly myQueue: boolean };
  /** Fetches the open document again (blind annotation changes which layers it holds). */
  reloadOpen(): Promise<void>;
  /** Lists the documents again ("my queue" follows assignments). */
  applyListFilter(): Promise<void>;
}

function storedMode(): LayersMode | null {
  const value = recall(LAYERS_MODE_KEY);
  return isLayersMode(value) ? value : null;
}

export class Team {
  readonly #host: TeamHost;
  #progressRequest = 0;
  #layersRequest = 0;

  settings = $state.raw<TeamSettings | null>(null);
  progress = $state.raw<TeamProgress | null>(null);
  /** The layers mode the user chose, or `null` for the default. */
  chosenMode = $state<LayersMode | null>(storedMode());
  /** The team dialog is shown. */
  dialogOpen = $state(false);
  /** The layers of the document `layersOf`, as the core lets the user see them. */
  layers = $state.raw<LayerSummary[]>([]);
  layersOf = $state<string | null>(null);

  /**
   * Every annotator of the workspace by name, gold left out (`TeamProgress.names`): each view
   * colours an annotator by their place here (`colorOf`). None until the progress loads.
   */
  names: readonly string[] = $derived(this.progress?.names ?? []);
  /** Someone has documents assigned: the workspace is worked on by a team. */
  inTeam = $derived((this.progress?.annotators.length ?? 0) > 0);
  layersMode: LayersMode = $derived(defaultLayersMode(this.chosenMode, this.inTeam));
  /** The user's own progress through their assigned documents, when they have any. */
  mine: AnnotatorProgress | null = $derived(
    this.progress?.annotators.find((a) => a.annotator === this.#host.annotator && a.assigned > 0) ?? null,
  );
  /** Annotation is blind and the user does not curate: they see their own layer alone. */
  blindToMe = $derived.by(() => this.settings !== null && this.settings.blind && !this.settings.curators.includes(this.#host.annotator));

  constructor(host: TeamHost) {
    this.#host = host;
  }

  /**
   * An annotator's colour, the same in every view (the reader's lanes, the Inspector's layers, the
   * team dialog, the Curate view): by their place in `names`; gold's own; by their name while
   * they are not in `names` (the progress not loaded yet).
   */
  colorOf(annotator: string): string {
    return layerColor(annotator, this.names);
  }

  /**
   * Fetches the progress again when one of `annotators` (seen in a document, its layers or its
   * curation) is not in `names`: someone annotated or was assigned for the first time, and the
   * colours are by place among all of them. Nothing while the progress has not loaded (its first
   * answer is on the way, or it failed and was shown).
   */
  noteAnnotators(annotators: Iterable<string>): void {
    const known = this.progress?.names;
    if (known === undefined) return;
    for (const name of annotators) {
      if (name !== GOLD_LAYER && !known.includes(name)) {
        void this.loadProgress();
        return;
      }
    }
  }

  /** The spans the reader draws in the text (the others are hidden or in lanes). */
  textSpans(spans: readonly Span[]): Span[] {
    return splitLayers(spans, this.layersMode, this.#host.annotator).text;
  }

  setLayersMode(mode: LayersMode): void {
    this.chosenMode = mode;
    remember(LAYERS_MODE_KEY, mode);
  }

  /** Forgets the workspace's team state (another workspace opens). */
  clear(): void {
    this.#progressRequest++;
    this.#layersRequest++;
    this.settings = null;
    this.progress = null;
    this.layers = [];
    this.layersOf = null;
    this.dialogOpen = false;
  }

  /** Reads the settings and the progress. */
  async load(): Promise<void> {
    await Promise.all([this.loadSettings(), this.loadProgress()]);
  }

  async loadSettings(): Promise<void> {
    try {
      this.settings = await api.teamSettings();
    } catch (e) {
      this.#host.report("Reading the team settings", e);
    }
  }

  /** Fetches everyone's progress; an answer to an older request is dropped. */
  async loadProgress(): Promise<void> {
    const request = ++this.#progressRequest;
    try {
      const progress = await api.teamProgress();
      if (request === this.#progressRequest) this.progress = progress;
    } catch (e) {
      if (request === this.#progressRequest) this.#host.report("Reading the team's progress", e);
    }
  }

  /** Fetches a document's layers as the user may see them. */
  async loadLayers(docId: string): Promise<void> {
    const request = ++this.#layersRequest;
    if (this.layersOf !== docId) this.layers = [];
    this.layersOf = docId;
    try {
      const layers = await api.documentLayers(docId);
      if (request === this.#layersRequest) {
        this.layers = layers;
        this.noteAnnotators(layers.map((l) => l.annotator));
      }
    } catch (e) {
      if (request === this.#layersRequest) this.#host.report("Reading the document's layers", e);
    }
  }

  /**
   * Saves the settings. Returns why the core refused them, or `null` once saved; then the open
   * document is fetched again, since blind annotation hides or shows the other layers.
   */
  async saveSettings(settings: TeamSettings): Promise<string | null> {
    try {
      this.settings = await api.setTeamSettings(settings);
    } catch (e) {
      return api.toApiError("set_team_settings", e).message;
    }
    this.#host.notice = this.settings.blind ? "Annotation is blind now" : "Saved the team settings";
    await Promise.all([this.#host.reloadOpen(), this.#reloadLayers(), this.loadProgress()]);
    return null;
  }

  /**
   * Assigns a document to `annotators` (none: nobody). Returns why the core refused it, or
   * `null` once saved (then its layers are the answer).
   */
  async setAssignees(docId: string, annotators: string[]): Promise<string | null> {
    let layers: LayerSummary[];
    try {
      layers = await api.setAssignees(docId, annotators);
    } catch (e) {
      return api.toApiError("set_assignees", e).message;
    }
    if (this.layersOf === docId) {
      this.#layersRequest++;
      this.layers = layers;
    }
    this.#host.notice = annotators.length === 0 ? "Assigned to nobody" : `Assigned to ${annotators.join(", ")}`;
    void this.loadProgress();
    if (this.#host.search.myQueue) void this.#host.applyListFilter();
    return null;
  }

  /** After the user set a document's status: theirs is in their progress and the layers. */
  async afterStatus(docId: string): Promise<void> {
    await Promise.all([this.loadProgress(), this.layersOf === docId ? this.loadLayers(docId) : undefined]);
  }

  /** After the user switched their name: their progress, and what blind annotation lets them see. */
  async afterAnnotatorSwitch(): Promise<void> {
    const blind = this.settings?.blind ?? false;
    await Promise.all([this.loadProgress(), blind ? this.#host.reloadOpen() : undefined, this.#reloadLayers()]);
  }

  async #reloadLayers(): Promise<void> {
    if (this.layersOf !== null) await this.loadLayers(this.layersOf);
  }
}
