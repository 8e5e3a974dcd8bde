import { createRequestContext } from "@/server/api/context";
import { createTrpcHttpHandler } from "@/server/api/http-handler";

// Only JSON POSTs from the app's own origin, GET queries, and batches of at most MAX_BATCH_SIZE calls
// (server/api/http-handler.ts).
const handler = createTrpcHttpHandler((req, resHeaders) => createRequestContext(resHeaders, req));

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
