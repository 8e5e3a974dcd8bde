"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTRPC } from "../../_components/trpc-provider";
import { ConfirmButton } from "../../_components/confirm-button";
import { Alert, Button } from "../../_components/ui";

type Member = { id: string; name: string; email: string; role: "owner" | "member"; joinedAt: Date };

/** The firm's members; an owner can change roles and remove members (the server keeps at least one owner). */
export function MembersPanel({ initial, meId, isOwner }: { initial: Member[]; meId: string; isOwner: boolean }) {
  const t = useTranslations("settings");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const members = useQuery({ ...trpc.firm.members.queryOptions(), initialData: initial });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.firm.members.queryKey() });
  const remove = useMutation(trpc.firm.removeMember.mutationOptions({ onSuccess: (_d, v) => (v.userId === meId ? router.push("/onboarding") : refresh()) }));
  const role = useMutation(trpc.firm.setRole.mutationOptions({ onSuccess: () => { refresh(); router.refresh(); } }));
  const error = remove.error ?? role.error;
  // The last owner can be neither removed nor demoted (the server refuses it too): no buttons that can only fail.
  const owners = (members.data ?? []).filter((m) => m.role === "owner").length;
  return (
    <div className="space-y-3">
      {error && <Alert>{error.message}</Alert>}
      <ul className="divide-y divide-slate-100 text-sm" aria-label={t("members")}>
        {(members.data ?? []).map((m) => (
          <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="member">
            <span>
              {m.name} <span className="text-slate-500">{m.email}</span>
              <span className="block text-xs text-slate-500">{t("joined", { date: format.dateTime(m.joinedAt, { dateStyle: "medium" }) })}</span>
            </span>
            <span className="flex flex-wrap items-center gap-2">
              <span className="text-slate-600" data-testid="member-role">{t(`role_${m.role}`)}</span>
              {isOwner && !(m.role === "owner" && owners <= 1) && (
                <>
                  <Button variant="ghost" disabled={role.isPending} onClick={() => role.mutate({ userId: m.id, role: m.role === "owner" ? "member" : "owner" })}>
                    {m.role === "owner" ? t("makeMember", { name: m.name }) : t("makeOwner", { name: m.name })}
                  </Button>
                  <ConfirmButton
                    label={t("removeMember", { name: m.name })}
                    question={m.id === meId ? t("removeSelfQuestion") : t("removeMemberQuestion", { name: m.name })}
                    confirmLabel={t("removeConfirm")}
                    busy={remove.isPending}
                    onConfirm={() => remove.mutate({ userId: m.id })}
                  />
                </>
              )}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
