/**
 * Across documents: which source entity a SOURCE span names and which claim group a CLAIM span
 * belongs to, with the suggestions the inspector offers for the selected span. All IPC goes
 * through `$lib/api`; every change goes through the host's `share`, which counts it as pending
 * and bumps `revision` so that everything showing entities or groups fetches them again.
 */
import * as api from "$lib/api";
import type { ClaimGroup } from "$lib/bindings/ClaimGroup";
import type { ClaimSuggestion } from "$lib/bindings/ClaimSuggestion";
import type { EntityEdit } from "$lib/bindings/EntityEdit";
import type { EntitySuggestion } from "$lib/bindings/EntitySuggestion";
import type { GroupEdit } from "$lib/bindings/GroupEdit";
import type { MentionSuggestion } from "$lib/bindings/MentionSuggestion";
import type { SourceKind } from "$lib/bindings/SourceKind";
import type { SourceOverview } from "$lib/bindings/SourceOverview";
import type { Span } from "$lib/bindings/Span";
import { moveExtent, type Extent, type ExtentMove } from "$lib/claims";
import type { Sharing } from "$lib/host";

export const SOURCE_LABEL = "SOURCE";
export const CLAIM_LABEL = "CLAIM";

/** Shown instead of similar passages while the search index cannot answer. */
export const INDEX_BUILDING = "Search index is building…";

/** True for the errors of a command that needs the search index before it is ready. */
export function indexUnavailable(e: api.ApiError): boolean {
  return e.kind === "index" || e.kind === "index_not_ready";
}

/** The fields of the selected span that decide what the inspector loads. */
export interface SpanKey {
  id: string;
  label: string;
  sourceEntity: string | null;
  claimGroup: string | null;
}

/** What the cross-document store needs of the workbench that holds it. */
export interface CrossHost extends Sharing {
  /** Counts changes to what documents share: the entity and group lists are loaded as of one. */
  revision: number;
  /** Commands sent and not answered yet (a group's fields are saved outside `share`). */
  pending: number;
  /** Changes the open document's spans as a shared change did in the core. */
  patchSpans(update: (s: Span) => Span): void;
  /** Fetches a document's summary again (its span count) after a change. */
  refreshSummary(docId: string): Promise<void>;
  /** Opens a document in the reader, `marks` (code points) marked; or with one of its spans selected. */
  select(docId: string, marks?: [number, number][]): Promise<void>;
  openSpan(docId: string, spanId: string): Promise<void>;
}

/** Names a suggested passage among the suggestions: its document and start. */
export function passageKey(s: ClaimSuggestion): string {
  return `${s.passage.doc_id}:${s.passage.start}`;
}

export class Cross {
  /** Every source entity, as of `revision` (loaded when something needs it). */
  entities = $state.raw<SourceOverview[]>([]);
  /** Every claim group, as of `revision` (loaded when something needs it). */
  groups = $state.raw<ClaimGroup[]>([]);

  /** For the selected SOURCE span when it is not linked: entities it may name. */
  entitySuggestions = $state.raw<EntitySuggestion[]>([]);
  /** For the selected SOURCE span when it is linked: other unlinked mentions of its entity. */
  mentions = $state.raw<MentionSuggestion[]>([]);
  /** For the selected CLAIM span: similar passages of other documents. */
  claimSuggestions = $state.raw<ClaimSuggestion[]>([]);
  /** Why there are no similar passages (index building, or the command failed). */
  claimProblem = $state<string | null>(null);
  loadingSuggestions = $state(false);
  /** The span the suggestions above are for. */
  suggestionsFor = $state<string | null>(null);
  /** Claim extents the analyst moved, by suggestion (`passageKey`); the others are as suggested. */
  extents = $state.raw<ReadonlyMap<string, Extent>>(new Map());

  readonly #app: CrossHost;
  /** Counts suggestion requests, so that the answer for an earlier selection is dropped. */
  #request = 0;
  #entitiesAt = -1;
  #entitiesLoading: Promise<void> | null = null;
  #groupsAt = -1;
  #groupsLoading: Promise<void> | null = null;

  constructor(app: CrossHost) {
    this.#app = app;
  }

  /** Forgets everything loaded (another workspace opened). */
  clear(): void {
    this.#request++;
    this.#entitiesAt = -1;
    this.#groupsAt = -1;
    this.entities = [];
    this.groups = [];
    this.#clearSuggestions(null);
  }

  #clearSuggestions(spanId: string | null): void {
    this.entitySuggestions = [];
    this.mentions = [];
    this.claimSuggestions = [];
    this.claimProblem = null;
    this.loadingSuggestions = false;
    this.suggestionsFor = spanId;
    this.extents = new Map();
  }

  /** Where adding a suggested passage puts its CLAIM: as suggested, or as the analyst moved it. */
  extentOf(suggestion: ClaimSuggestion): Extent {
    return this.extents.get(passageKey(suggestion)) ?? [suggestion.claim_start, suggestion.claim_end];
  }

  /** Moves one end of a suggested passage's claim by a word. */
  moveExtent(suggestion: ClaimSuggestion, move: ExtentMove): void {
    const moved = moveExtent(suggestion.context, suggestion.context_start, this.extentOf(suggestion), move);
    this.extents = new Map(this.extents).set(passageKey(suggestion), moved);
  }

  /** Loads the entity list unless it is current. */
  ensureEntities(): Promise<void> {
    const rev = this.#app.revision;
    if (this.#entitiesAt === rev) return this.#entitiesLoading ?? Promise.resolve();
    this.#entitiesAt = rev;
    this.#entitiesLoading = api
      .listSourceEntities()
      .then((list) => {
        if (this.#entitiesAt === rev) this.entities = list;
      })
      .catch((e) => {
        if (this.#entitiesAt === rev) this.#entitiesAt = -1;
        this.#app.report("Listing the source entities", e);
      });
    return this.#entitiesLoading;
  }

  /** Loads the group list unless it is current. */
  ensureGroups(): Promise<void> {
    const rev = this.#app.revision;
    if (this.#groupsAt === rev) return this.#groupsLoading ?? Promise.resolve();
    this.#groupsAt = rev;
    this.#groupsLoading = api
      .listClaimGroups()
      .then((list) => {
        if (this.#groupsAt === rev) this.groups = list;
      })
      .catch((e) => {
        if (this.#groupsAt === rev) this.#groupsAt = -1;
        this.#app.report("Listing the claim groups", e);
      });
    return this.#groupsLoading;
  }

  /**
   * Loads what the inspector shows for the selected span: entity suggestions or other mentions
   * for a SOURCE span, similar passages for a CLAIM span, nothing for others. An answer that
   * comes back after the selection changed is dropped.
   */
  /** Settles when the latest `load` has (what Enter waits for). */
  #settled: Promise<void> = Promise.resolve();

  async load(span: SpanKey | null): Promise<void> {
    let settle = () => {};
    this.#settled = new Promise((resolve) => (settle = resolve));
    try {
      await this.#load(span);
    } finally {
      settle();
    }
  }

  async #load(span: SpanKey | null): Promise<void> {
    const request = ++this.#request;
    if (span === null || (span.label !== SOURCE_LABEL && span.label !== CLAIM_LABEL)) {
      this.#clearSuggestions(span?.id ?? null);
      return;
    }
    if (this.suggestionsFor !== span.id) this.#clearSuggestions(span.id);
    this.loadingSuggestions = true;
    try {
      if (span.label === SOURCE_LABEL) {
        if (span.sourceEntity === null) {
          const found = await api.entitySuggestions(span.id);
          if (request !== this.#request) return;
          this.entitySuggestions = found;
          this.mentions = [];
        } else {
          const [found] = await Promise.all([api.entityMentions(span.sourceEntity), this.ensureEntities()]);
          if (request !== this.#request) return;
          this.mentions = found.filter((m) => m.span_id !== span.id);
          this.entitySuggestions = [];
        }
        return;
      }
      // The group's fields, or the groups to join.
      void this.ensureGroups();
      try {
        const found = await api.claimSuggestions(span.id);
        if (request !== this.#request) return;
        this.claimSuggestions = found;
        this.claimProblem = null;
      } catch (e) {
        if (request !== this.#request) return;
        const err = api.toApiError("claim_suggestions", e);
        this.claimSuggestions = [];
        this.claimProblem = indexUnavailable(err) ? INDEX_BUILDING : err.message;
      }
    } catch (e) {
      if (request !== this.#request) return;
      this.#app.report(span.label === SOURCE_LABEL ? "Finding source entities" : "Finding similar passages", e);
    } finally {
      if (request === this.#request) this.loadingSuggestions = false;
    }
  }

  entity(id: string | null): SourceOverview | null {
    return id === null ? null : (this.entities.find((e) => e.entity.id === id) ?? null);
  }

  group(id: string | null): ClaimGroup | null {
    return id === null ? null : (this.groups.find((g) => g.id === id) ?? null);
  }

  /** Links SOURCE spans to an entity, or unlinks them with `null`. */
  async link(spanIds: string[], entityId: string | null, name?: string): Promise<void> {
    const done = await this.#app.share(entityId === null ? "Unlinking the source" : "Linking the source", () =>
      api.linkSourceEntity(spanIds, entityId).then(() => true),
    );
    if (done === undefined) return;
    const ids = new Set(spanIds);
    this.#app.patchSpans((s) => (ids.has(s.id) ? { ...s, source_entity: entityId } : s));
    const n = spanIds.length;
    this.#app.notice =
      entityId === null ? "Unlinked the source" : `Linked ${n === 1 ? "the mention" : `${n} mentions`}${name ? ` to ${name}` : ""}`;
  }

  /**
   * Enter on a SOURCE span not linked yet: links it to the first suggested entity, or, when
   * none is suggested, makes a new entity of it. False when the span is not such a span.
   */
  async linkFirst(span: Span): Promise<boolean> {
    if (span.label !== SOURCE_LABEL || span.source_entity !== null || this.suggestionsFor !== span.id) return false;
    // Enter pressed while the entities are still being looked for acts on what is found.
    if (this.loadingSuggestions) await this.#settled;
    if (this.suggestionsFor !== span.id) return false;
    const first = this.entitySuggestions[0];
    if (first) await this.link([span.id], first.entity.id, first.entity.name);
    // No entity is like it: the span starts one (named as it reads; its kind can be changed).
    else await this.createEntity(span.id, null, "person");
    return true;
  }

  async createEntity(spanId: string, name: string | null, kind: SourceKind): Promise<void> {
    const entity = await this.#app.share("Creating the source entity", () => api.createEntityFromSpan(spanId, name, kind));
    if (entity === undefined) return;
    this.#app.patchSpans((s) => (s.id === spanId ? { ...s, source_entity: entity.id } : s));
    this.#app.notice = `New source entity: ${entity.name}`;
  }

  async updateEntity(id: string, edit: EntityEdit): Promise<void> {
    const entity = await this.#app.share("Saving the source entity", () => api.updateSourceEntity(id, edit));
    if (entity === undefined) return;
    this.entities = this.entities.map((o) => (o.entity.id === id ? { ...o, entity } : o));
  }

  async mergeEntities(from: string, into: string): Promise<void> {
    const entity = await this.#app.share("Merging the source entities", () => api.mergeSourceEntities(from, into));
    if (entity === undefined) return;
    this.#app.patchSpans((s) => (s.source_entity === from ? { ...s, source_entity: into } : s));
    this.#app.notice = `Merged into ${entity.name}`;
  }

  /** Moves mentions of entity `id` to a new entity called `name`. */
  async splitEntity(id: string, spanIds: string[], name: string): Promise<void> {
    const entity = await this.#app.share("Moving to a new source entity", () => api.splitSourceEntity(id, spanIds, name));
    if (entity === undefined) return;
    const ids = new Set(spanIds);
    this.#app.patchSpans((s) => (ids.has(s.id) ? { ...s, source_entity: entity.id } : s));
    this.#app.notice = `Moved to a new source entity: ${entity.name}`;
  }

  async startGroup(spanIds: string[], canonical: string | null = null): Promise<ClaimGroup | undefined> {
    const group = await this.#app.share("Starting the claim group", () => api.startClaimGroup(spanIds, canonical));
    if (group === undefined) return undefined;
    const ids = new Set(spanIds);
    this.#app.patchSpans((s) => (ids.has(s.id) ? { ...s, claim_group: group.id } : s));
    this.#app.notice = `Started a claim group: “${group.canonical}”`;
    return group;
  }

  /** G: starts a group with the selected claim; says why not when it cannot. */
  async startGroupKey(span: Span | null): Promise<void> {
    if (span === null || span.label !== CLAIM_LABEL) {
      this.#app.notice = "Select a CLAIM first, then press G to start its group";
      return;
    }
    if (span.claim_group !== null) {
      this.#app.notice = "This claim is in a group already";
      return;
    }
    await this.startGroup([span.id], null);
  }

  /** The selected claim's most similar passage in another document, once found. */
  #topPassage(span: Span | null): ClaimSuggestion | null {
    if (span === null || span.label !== CLAIM_LABEL) {
      this.#app.notice = "Select a CLAIM first: its similar passages are in the inspector";
      return null;
    }
    const top = this.suggestionsFor === span.id ? this.claimSuggestions[0] : undefined;
    if (top === undefined) {
      this.#app.notice = this.loadingSuggestions ? "Still looking for similar passages…" : "No similar passage found";
      return null;
    }
    return top;
  }

  /** P: adds the top similar passage to the claim's group (starting one if needed). */
  async addTopPassage(span: Span | null): Promise<void> {
    const top = this.#topPassage(span);
    if (top !== null && span !== null) await this.addPassage(span, top);
  }

  /** O: opens the top similar passage's document with the passage marked. */
  async openTopPassage(span: Span | null): Promise<void> {
    const top = this.#topPassage(span);
    if (top !== null) await this.openPassage(top);
  }

  /** Opens a similar passage's document in the reader, the passage marked and in view. */
  async openPassage(suggestion: ClaimSuggestion): Promise<void> {
    const p = suggestion.passage;
    if (suggestion.span_id !== null) await this.#app.openSpan(p.doc_id, suggestion.span_id);
    else await this.#app.select(p.doc_id, [[...this.extentOf(suggestion)]]);
  }

  /** Puts CLAIM spans into a group, or takes them out with `null`. */
  async setGroup(spanIds: string[], groupId: string | null): Promise<void> {
    const done = await this.#app.share(groupId === null ? "Leaving the claim group" : "Adding to the claim group", () =>
      api.setClaimGroup(spanIds, groupId).then(() => true),
    );
    if (done === undefined) return;
    const ids = new Set(spanIds);
    this.#app.patchSpans((s) => (ids.has(s.id) ? { ...s, claim_group: groupId } : s));
    this.#app.notice = groupId === null ? "Left the claim group" : "Added to the claim group";
  }

  /** Groups a claim with a suggested passage (annotating the passage when it is not). */
  async addPassage(claim: Span, suggestion: ClaimSuggestion): Promise<void> {
    const p = suggestion.passage;
    // An annotated passage brings its own CLAIM span (the core finds it over the passage); a
    // new one is made where the claim's extent was set.
    const annotated = suggestion.span_id !== null;
    const [start, end] = annotated ? [p.start, p.end] : this.extentOf(suggestion);
    const added = await this.#app.share("Adding the passage to the group", () =>
      api.groupClaimWithPassage(claim.id, p.doc_id, start, end, !annotated),
    );
    if (added === undefined) return;
    // A claim without a group got a new one: its id is only known from the document.
    if (claim.claim_group === null) await this.#app.reloadOpen();
    if (added.created_span) void this.#app.refreshSummary(added.doc_id);
    this.#app.notice = added.created_span
      ? `Annotated the passage as a CLAIM and added it to the group`
      : "Added the claim to the group";
  }

  /**
   * Saves changes to a group. Returns why the core refused them (shown next to the field, the
   * typed text kept), or `null` once saved.
   */
  async updateGroup(id: string, edit: GroupEdit): Promise<string | null> {
    let group: ClaimGroup;
    this.#app.pending++;
    try {
      group = await api.updateClaimGroup(id, edit);
    } catch (e) {
      return api.toApiError("update_claim_group", e).message;
    } finally {
      this.#app.pending--;
    }
    this.groups = this.groups.map((g) => (g.id === id ? group : g));
    this.#app.revision++;
    return null;
  }

  async mergeGroups(from: string, into: string): Promise<void> {
    const group = await this.#app.share("Merging the claim groups", () => api.mergeClaimGroups(from, into));
    if (group === undefined) return;
    this.#app.patchSpans((s) => (s.claim_group === from ? { ...s, claim_group: into } : s));
    this.#app.notice = `Merged into “${group.canonical}”`;
  }

  async deleteGroup(id: string): Promise<void> {
    const done = await this.#app.share("Deleting the claim group", () => api.deleteClaimGroup(id).then(() => true));
    if (done === undefined) return;
    this.#app.patchSpans((s) => (s.claim_group === id ? { ...s, claim_group: null } : s));
    this.#app.notice = "Deleted the claim group (its claims stay)";
  }
}
