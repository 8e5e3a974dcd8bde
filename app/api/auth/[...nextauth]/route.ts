import { handleAuthRequest } from "@/server/auth/route";

const handler = async (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => handleAuthRequest(req, (await ctx.params).nextauth);

export { handler as GET, handler as POST };
