import { z } from "zod";

// Inputs shared by the closing routers (the project id is projectProcedure's, server/api/trpc.ts). Accounts are text (SIE allows any), amounts integer öre.
export const account = z.string().trim().min(1).max(20);
export const ore = z.number().int();
export const target = z.union([z.object({ account }), z.object({ adjustmentId: z.uuid() })]);
