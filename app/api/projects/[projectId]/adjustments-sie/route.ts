import { createRequestContext } from "@/server/api/context";
import { handleAdjustmentsSie } from "@/server/api/sie-files";

// The project's adjustments as a SIE 4I file for any other bookkeeping program (server/api/sie-files.ts).
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return handleAdjustmentsSie(req, projectId, () => createRequestContext());
}
