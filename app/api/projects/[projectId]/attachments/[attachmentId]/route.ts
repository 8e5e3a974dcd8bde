import { handleAttachmentDownload } from "@/server/api/attachment-files";
import { createRequestContext } from "@/server/api/context";

// Serves an attachment for download or inline preview (server/api/attachment-files.ts).
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string; attachmentId: string }> }) {
  const { projectId, attachmentId } = await params;
  return handleAttachmentDownload(req, projectId, attachmentId, () => createRequestContext());
}
