import "server-only";
import { getDb } from "@/db/client";
import { defaultConnectionRuntime } from "@/server/connections/runtime";
import { env } from "@/server/env";
import { handleFortnoxCallback } from "./fortnox-callback";
import { runNextAuth } from "./next-auth-http";
import { authOptions } from "./options";

/** Every /api/auth/* request. The Fortnox callback has its own handler; everything else is plain NextAuth. */
export async function handleAuthRequest(req: Request, segments: string[]): Promise<Response> {
  if (req.method === "GET" && segments[0] === "callback" && segments[1] === "fortnox") {
    return handleFortnoxCallback(req, { db: await getDb(), runtime: defaultConnectionRuntime(), env: env() });
  }
  return runNextAuth(req, segments, authOptions());
}
