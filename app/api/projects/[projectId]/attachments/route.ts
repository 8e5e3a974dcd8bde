import { handleAttachmentUpload } from "@/server/api/attachment-files";
import { createRequestContext } from "@/server/api/context";

// Streams an uploaded attachment onto an account or an adjustment (server/api/attachment-files.ts).
export async function POST(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return handleAttachmentUpload(req, projectId, () => createRequestContext());
}
