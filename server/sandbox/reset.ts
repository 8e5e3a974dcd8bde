// A socket reset can't be expressed as a Response. Handlers return a Response carrying this header; the node
// adapter destroys the socket instead of answering, and the Next adapter answers 502.
export const RESET_HEADER = "x-sandbox-socket-reset";

export type ResetWhen = "before-commit" | "after-commit";

export class SandboxSocketReset extends Error {
  constructor(readonly when: ResetWhen) {
    super(`sandbox fault: connection reset ${when}`);
  }
}

export function resetResponse(when: ResetWhen): Response {
  return new Response(null, { status: 599, headers: { [RESET_HEADER]: when } });
}
