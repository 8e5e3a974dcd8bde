"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "../../_components/trpc-provider";
import { Alert, Button } from "../../_components/ui";

export function AcceptInvite({ token, label }: { token: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.firm.acceptInvite.mutationOptions({ onSuccess: () => router.push("/clients") }));
  return (
    <div className="space-y-3">
      {accept.error && <Alert>{accept.error.message}</Alert>}
      <Button onClick={() => accept.mutate({ token })} disabled={accept.isPending}>
        {label}
      </Button>
    </div>
  );
}
