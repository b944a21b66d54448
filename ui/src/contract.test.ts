/**
 * The IPC contract, read from the sources on both sides: every command `api.ts` calls is a
 * command the Rust shell registers, with the same argument names (Tauri's camelCase of the Rust
 * parameters), and every command the UI tests' mock answers is a real one. Without this the mock
 * can drift from the core and the UI tests still pass.
 */
import { describe, expect, it } from "vitest";

const rust = import.meta.glob<string>(["../../src-tauri/src/lib.rs", "../../src-tauri/src/commands/*.rs"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const api = import.meta.glob<string>("./lib/api.ts", { query: "?raw", import: "default", eager: true });
const mock = import.meta.glob<string>("./test/fixtures.ts", { query: "?raw", import: "default", eager: true });

const only = (files: Record<string, string>): string => {
  const texts = Object.values(files);
  expect(texts).toHaveLength(1);
  return texts[0]!;
};

const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Splits `text` at the commas outside <>, () and {}. */
function topLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(" || c === "{" || c === "[") depth++;
    else if (c === ">" || c === ")" || c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** Parameters Tauri fills in itself rather than from the call's arguments. */
const INJECTED = /^(State<|tauri::State<|AppHandle|tauri::AppHandle|Window|tauri::Window|WebviewWindow|Webview)/;

/** The commands the shell registers, each with the argument names the page must send. */
function rustCommands(): Map<string, string[]> {
  const lib = Object.entries(rust).find(([path]) => path.endsWith("/lib.rs"))![1];
  const registered = new Set([...lib.matchAll(/commands::\w+::(\w+)/g)].map((m) => m[1]!));
  const commands = new Map<string, string[]>();
  for (const [path, text] of Object.entries(rust)) {
    if (path.endsWith("/lib.rs")) continue;
    for (const m of text.matchAll(/#\[tauri::command\]\s*pub\s+(?:async\s+)?fn\s+(\w+)\s*\(([\s\S]*?)\)\s*(?:->|\{)/g)) {
      const params = topLevel(m[2]!)
        .map((p) => {
          const [name, type] = p.split(/:(.*)/s).map((x) => x.trim());
          return { name: name!.replace(/^mut\s+/, ""), type: type ?? "" };
        })
        .filter((p) => !INJECTED.test(p.type))
        .map((p) => camel(p.name));
      commands.set(m[1]!, params);
    }
  }
  // Only what the handler registers can be called.
  for (const name of [...commands.keys()]) if (!registered.has(name)) commands.delete(name);
  expect([...registered].filter((r) => !commands.has(r))).toEqual([]);
  return commands;
}

/** The calls `api.ts` makes: command and argument names. */
function apiCalls(): { command: string; args: string[] }[] {
  const text = only(api);
  return [...text.matchAll(/call<[\s\S]*?>\(\s*"(\w+)"\s*(?:,\s*\{([^}]*)\})?\s*\)/g)].map((m) => ({
    command: m[1]!,
    args: topLevel(m[2] ?? "").map((a) => a.split(":")[0]!.trim()),
  }));
}

describe("the IPC contract", () => {
  const commands = rustCommands();
  const calls = apiCalls();

  it("finds the commands on both sides", () => {
    expect(commands.size).toBeGreaterThan(40);
    expect(calls.length).toBeGreaterThan(40);
  });

  it("calls only registered commands, with exactly their arguments", () => {
    for (const { command, args } of calls) {
      expect(commands.has(command), `api.ts calls ${command}, which the shell does not register`).toBe(true);
      expect([...args].sort(), `arguments of ${command}`).toEqual([...commands.get(command)!].sort());
    }
  });

  it("calls every registered command", () => {
    const called = new Set(calls.map((c) => c.command));
    expect([...commands.keys()].filter((c) => !called.has(c))).toEqual([]);
  });

  it("has the UI tests' mock answer only commands that exist", () => {
    const answered = [...only(mock).matchAll(/case "(\w+)":/g)].map((m) => m[1]!);
    expect(answered.length).toBeGreaterThan(20);
    expect(answered.filter((c) => !commands.has(c))).toEqual([]);
  });
});
