/**
 * The one module that talks to the Rust side. Everything else calls these functions, so that
 * tests mock the IPC here (with `mockIPC` from `@tauri-apps/api/mocks`) and nowhere else.
 *
 * Types come from the core through ts-rs (`$lib/bindings`); never copy them by hand.
 */
import { invoke } from "@tauri-apps/api/core";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";

/** An error from a command, as the Rust side serialises it: `{ kind, message }`. */
export class ApiError extends Error {
  readonly kind: string;
  /** The command that failed. */
  readonly command: string;

  constructor(kind: string, message: string, command: string) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.command = command;
  }
}

function isErrorPayload(value: unknown): value is { kind: string; message: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === "string" && typeof v.message === "string";
}

/** Turns whatever a failed `invoke` rejected with into an `ApiError`. */
export function toApiError(command: string, reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (isErrorPayload(reason)) return new ApiError(reason.kind, reason.message, command);
  if (typeof reason === "string") return new ApiError("ipc", reason, command);
  if (reason instanceof Error) return new ApiError("ipc", reason.message, command);
  return new ApiError("ipc", `unexpected error: ${String(reason)}`, command);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(command, reason);
  }
}

export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

export function listDocuments(): Promise<DocumentSummary[]> {
  return call<DocumentSummary[]>("list_documents");
}

export function getDocument(id: string): Promise<DocumentView> {
  return call<DocumentView>("get_document", { id });
}

export function getSchema(): Promise<LabelSchema> {
  return call<LabelSchema>("get_schema");
}
