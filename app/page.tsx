import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/context";

export default async function Home() {
  const me = await (await serverCaller()).account.me().catch(() => null);
  if (!me?.user) redirect("/signin");
  redirect(me.firm ? "/clients" : "/onboarding");
}
