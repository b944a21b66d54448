import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, getDocument, getSchema, listDocuments, toApiError, workspaceInfo } from "$lib/api";
import { docs, handler, schema, views, workspace } from "../test/fixtures";

afterEach(() => clearMocks());

describe("api", () => {
  it("calls the commands by name with their arguments", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return handler(cmd, args);
    });
    expect(await workspaceInfo()).toEqual(workspace);
    const filter = { status: null, outlet: null };
    expect(await listDocuments(filter, 0, 2)).toEqual({ total: 3, offset: 0, docs: docs.slice(0, 2) });
    expect(await getSchema()).toEqual(schema);
    expect(await getDocument("d1")).toEqual(views.d1);
    expect(calls.map(([cmd]) => cmd)).toEqual(["workspace_info", "list_documents", "get_schema", "get_document"]);
    expect(calls[1]![1]).toEqual({ filter, offset: 0, limit: 2 });
    expect(calls[3]![1]).toEqual({ id: "d1" });
  });

  it("turns a command's { kind, message } error into an ApiError", async () => {
    mockIPC(handler);
    const err = await getDocument("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("document_not_found");
    expect((err as ApiError).message).toBe("no document matches `nope`");
    expect((err as ApiError).command).toBe("get_document");
  });

  it("keeps the message of errors that are not { kind, message }", async () => {
    mockIPC(() => {
      throw "command get_document not found";
    });
    const err = await getDocument("d1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("ipc");
    expect((err as ApiError).message).toBe("command get_document not found");
    expect(toApiError("x", new Error("boom")).message).toBe("boom");
    expect(toApiError("x", 42).message).toBe("unexpected error: 42");
  });
});
