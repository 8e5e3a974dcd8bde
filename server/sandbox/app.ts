import { Hono } from "hono";
import { apiRoutes } from "./api";
import { type ControlApi, controlRoutes, makeControl } from "./control";
import { OAuthServer } from "./oauth";
import type { SandboxOptions } from "./options";
import { RESET_HEADER, type ResetWhen, SandboxSocketReset } from "./reset";
import { SandboxState } from "./state";

export type { SandboxOptions } from "./options";
export { SandboxSocketReset } from "./reset";

export interface Sandbox {
  /** Answers a request. Throws SandboxSocketReset when a fault wants the connection dropped. */
  fetch(req: Request): Promise<Response>;
  control: ControlApi;
  /** Live state (replaced by control.reset(); read it through this getter). */
  readonly state: SandboxState;
  readonly basePath: string;
}

/** A local Fortnox: OAuth at <base>/oauth-v1, API at <base>/3, control at <base>/control. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  let state = new SandboxState(options);
  const control = makeControl(
    () => state,
    () => {
      // Forgets everything: tokens, posted vouchers, files, faults set at run time, the clock offset.
      state = new SandboxState(options);
      app = build();
    },
  );
  let app = build();

  function build(): Hono {
    const oauth = new OAuthServer(state);
    const inner = new Hono();
    inner.route("/oauth-v1", oauth.routes());
    inner.route("/3", apiRoutes(state, oauth, basePath));
    if (options.control !== false) inner.route("/control", controlRoutes(control));
    const outer = new Hono();
    outer.route(basePath || "/", inner);
    outer.notFound((c) => c.json({ message: "Not Found" }, 404));
    return outer;
  }

  return {
    async fetch(req) {
      const res = await app.fetch(req);
      const when = res.headers.get(RESET_HEADER) as ResetWhen | null;
      if (when) throw new SandboxSocketReset(when);
      return res;
    },
    control,
    get state() {
      return state;
    },
    basePath,
  };
}
