import { z } from "zod";

// Inputs shared by the closing routers. Accounts are text (SIE allows any), amounts integer öre.
export const pid = z.object({ projectId: z.uuid() });
export const account = z.string().trim().min(1).max(20);
export const ore = z.number().int();
export const target = z.union([z.object({ account }), z.object({ adjustmentId: z.uuid() })]);
