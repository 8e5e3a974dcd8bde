import { createRequestContext } from "@/server/api/context";
import { handleSruDownload } from "@/server/api/sru-files";

// The project's tax return as the SRU pair: ?file=INFO.SRU or ?file=BLANKETTER.SRU (server/api/sru-files.ts).
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return handleSruDownload(req, projectId, () => createRequestContext());
}
