import { createRequestContext } from "@/server/api/context";
import { handleSieUpload } from "@/server/api/sie-files";

// Streams an uploaded SIE file into the project's import (server/api/sie-files.ts).
export async function POST(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return handleSieUpload(req, projectId, () => createRequestContext());
}
