import { handleSieUpload } from "@/server/api/sie-upload";

// Streams an uploaded SIE file into the project's import (server/api/sie-upload.ts).
export async function POST(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return handleSieUpload(req, projectId);
}
