import { isSandboxMode } from "@/server/env";
import { handleSandboxRequest } from "@/server/sandbox/next";

// The built-in Fortnox sandbox (OAuth consent, token endpoint, API /3, control), mounted only when no
// FORTNOX_CLIENT_ID is configured. With real Fortnox credentials this path does not exist.
export const dynamic = "force-dynamic";

const handler = (req: Request) => (isSandboxMode() ? handleSandboxRequest(req) : new Response("Not Found", { status: 404 }));

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD, handler as OPTIONS };
