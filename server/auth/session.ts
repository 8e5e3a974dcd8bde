import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user's id, or null. The session carries nothing else: no tokens, no firm. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}
