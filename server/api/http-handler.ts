import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { appRouter } from "./root";
import { errorResponse } from "./route-access";
import { isJsonBody, isSameOriginWrite } from "./same-origin";
import type { TRPCContext } from "./trpc";

/** How the handler gets a request's context; the route passes createRequestContext, tests their own. */
export type RequestContextOf = (req: Request, resHeaders: Headers) => Promise<TRPCContext>;

/** POST|GET /api/trpc/*. */
/** Calls per batched request: the client splits larger batches (trpc-provider.tsx maxItems), nobody else needs more. */
export const MAX_BATCH_SIZE = 16;

/**
 * What the route accepts before tRPC sees the request: queries by GET (no Origin needed: a cross-site page cannot
 * read the answer), everything else by POST with a JSON body from the app's own origin. tRPC would also take
 * multipart/form-data and octet-stream POSTs, which a plain HTML form on any site can send.
 */
function refusal(req: Request): Response | null {
  if (req.method === "GET") return null;
  if (req.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "GET, POST" } });
  if (!isJsonBody(req)) return errorResponse(new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "invalidInput" }), null, "tRPC");
  if (!isSameOriginWrite(req)) return errorResponse(new TRPCError({ code: "FORBIDDEN", message: "crossSiteRefused" }), null, "tRPC");
  return null;
}

export function createTrpcHttpHandler(contextOf: RequestContextOf) {
  return async (req: Request) =>
    refusal(req) ??
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) => contextOf(req, resHeaders),
      onError({ error, path }) {
        // Log the failure without input or upstream bodies: they may hold personal data.
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path}:`, error.cause?.message ?? error.message);
      },
    });
}
