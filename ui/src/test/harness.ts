/**
 * The app mounted on a `MockCore`, for the UI tests that drive it through the DOM: each test
 * gets a fresh core and target, and everything is unmounted and the IPC mock cleared after it.
 * Call `mockedApp()` at the top level of a test file (or `mountPoint()`, for a file that answers
 * the IPC without the mock core).
 */
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, expect, vi } from "vitest";
import App from "../App.svelte";
import { Workbench } from "$lib/state.svelte";
import { MockCore, text1 } from "./fixtures";

export interface MockedApp {
  /** The core of the current test. */
  readonly core: MockCore;
  /** The element the app is mounted in. */
  readonly target: HTMLElement;
  /** Mounts the app and waits for the first document to be drawn. */
  start(): Promise<Workbench>;
  q<T extends Element = HTMLElement>(selector: string, from?: ParentNode): T;
  all<T extends Element = HTMLElement>(selector: string, from?: ParentNode): T[];
  /** A keydown, as the window gets it from a key press. */
  press(key: string, extra?: KeyboardEventInit, on?: EventTarget): void;
  /** The arguments of every call of `cmd` so far. */
  callsOf(cmd: string): Record<string, unknown>[];
  /** Clicks the drawn segment whose text is `text`, as the mouse would. */
  clickSpan(text: string): void;
}

/**
 * The IPC answered by `handler`, with events and the main window as in the desktop app (the
 * app subscribes to both on start, and shows a subscription that fails).
 */
export function mockDesktop(handler: Parameters<typeof mockIPC>[0]): void {
  mockIPC(handler, { shouldMockEvents: true });
  mockWindows("main");
}

/** Where a test mounts the app: made afresh for each test. */
export interface MountPoint {
  /** The element the app is mounted in. */
  readonly target: HTMLElement;
  /** `console.error`, silenced during each test (the app logs every error it shows). */
  readonly consoleError: ReturnType<typeof vi.spyOn>;
  /** Mounts the app on `app` and draws it. */
  mount(app: Workbench): void;
  /** Unmounts the app before the test ends (to mount it again). */
  unmount(): void;
}

/**
 * An element for each test to mount the app in, with `console.error` silenced; after the test
 * the app is unmounted, the element removed and the IPC mock cleared. Call `mountPoint()` at the
 * top level of a test file and mock the IPC in the file's `beforeEach`.
 */
export function mountPoint(): MountPoint {
  let target: HTMLElement;
  let component: ReturnType<typeof mount> | null = null;
  let consoleError: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    target = document.createElement("div");
    document.body.appendChild(target);
  });

  afterEach(() => {
    if (component) unmount(component);
    component = null;
    window.getSelection()?.removeAllRanges();
    target.remove();
    clearMocks();
    consoleError.mockRestore();
  });

  return {
    get target() {
      return target;
    },
    get consoleError() {
      return consoleError;
    },
    mount(app) {
      component = mount(App, { target, props: { app } });
      flushSync();
    },
    unmount() {
      if (component) unmount(component);
      component = null;
    },
  };
}

export function mockedApp(): MockedApp {
  const page = mountPoint();
  let core: MockCore;

  beforeEach(() => {
    core = new MockCore();
    mockDesktop(core.handle);
  });

  const q = <T extends Element = HTMLElement>(selector: string, from: ParentNode = page.target): T => {
    const el = from.querySelector<T>(selector);
    if (el === null) throw new Error(`no ${selector}`);
    return el;
  };

  return {
    get core() {
      return core;
    },
    get target() {
      return page.target;
    },
    async start() {
      const app = new Workbench();
      page.mount(app);
      await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text1));
      return app;
    },
    q,
    all: <T extends Element = HTMLElement>(selector: string, from: ParentNode = page.target): T[] => [
      ...from.querySelectorAll<T>(selector),
    ],
    press(key, extra = {}, on = document.body) {
      on.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra }));
      flushSync();
    },
    callsOf: (cmd) => core.calls.filter((c) => c.cmd === cmd).map((c) => c.args as Record<string, unknown>),
    clickSpan(text) {
      const seg = [...page.target.querySelectorAll(".seg")].find((s) => s.textContent === text);
      if (!seg) throw new Error(`no segment ${text}`);
      seg.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      flushSync();
    },
  };
}
