"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { Fund, Schablon } from "@/server/tax/types";
import { formatOre, oreToInput, parseAmountToOre, parsePercentToBp } from "@/lib/money";
import { Button, Input } from "../../../../_components/ui";
import { Amount } from "../_components/closing-ui";

// The periodiseringsfonder the year starts with: how much of each is reversed this year (at least what must be),
// the year a fund was made in when its account name does not say, and the statslåneränta behind the schablonintäkt
// when the year's rate is not in the table yet. Every change recomputes the page; nothing is saved until "Spara".

export type Reversals = "asBooked" | "required" | Record<string, number>;

export interface FundChoices {
  reversals: Reversals;
  fundYears: Record<string, number>;
  slrBp: number | null;
}

const FIRST_FUND_YEAR = 1995;

export function FundsTable({ funds, schablon, choices, onChange }: {
  funds: Fund[];
  schablon: Schablon;
  choices: FundChoices;
  onChange: (next: FundChoices) => void;
}) {
  const t = useTranslations("tax");
  // Inputs keep what the user typed (and say when it is not an amount); "reset" starts them over.
  const [generation, setGeneration] = useState(0);
  const [bad, setBad] = useState<Record<string, boolean>>({});
  const mark = (key: string, isBad: boolean) => setBad((b) => ({ ...b, [key]: isBad }));

  const setReversal = (account: string, raw: string) => {
    const ore = raw.trim() === "" ? 0 : parseAmountToOre(raw);
    mark(`rev-${account}`, ore === null || ore < 0);
    if (ore === null || ore < 0) return;
    // The first own amount turns "what must be reversed" into one amount per fund, starting from today's figures.
    const base = typeof choices.reversals === "object" ? choices.reversals : Object.fromEntries(funds.map((f) => [f.account, f.reversedOre]));
    onChange({ ...choices, reversals: { ...base, [account]: ore } });
  };
  const setYear = (account: string, raw: string) => {
    const fundYears = { ...choices.fundYears };
    const year = Number(raw);
    const ok = raw.trim() === "" || (/^\d{4}$/.test(raw.trim()) && year >= FIRST_FUND_YEAR && year <= 2100);
    mark(`year-${account}`, !ok);
    if (!ok) return;
    if (raw.trim() === "") delete fundYears[account];
    else fundYears[account] = year;
    onChange({ ...choices, fundYears });
  };
  const setSlr = (raw: string) => {
    const bp = raw.trim() === "" ? null : parsePercentToBp(raw);
    mark("slr", raw.trim() !== "" && bp === null);
    if (raw.trim() !== "" && bp === null) return;
    onChange({ ...choices, slrBp: bp });
  };
  const ownReversals = typeof choices.reversals === "object";
  const ratePercent = (ppm: number) => (ppm / 10_000).toLocaleString("sv-SE", { maximumFractionDigits: 4 });

  return (
    <div className="mt-4 space-y-3" key={generation}>
      <table className="w-full text-sm" data-testid="tax-funds">
        <caption className="mb-1 text-left text-sm font-medium text-slate-800">{t("funds")}</caption>
        <thead><tr className="border-b text-left text-xs text-slate-500">
          <th className="py-1">{t("col.account")}</th><th>{t("col.year")}</th><th className="text-right">{t("col.opening")}</th>
          <th className="text-right">{t("col.reversed")}</th><th className="text-right">{t("col.uplift")}</th><th className="pl-3">{t("col.note")}</th>
        </tr></thead>
        <tbody>
          {funds.map((f) => (
            <tr key={f.account} className="border-b border-slate-100 align-top" data-testid={`fund-${f.account}`}>
              <td className="py-1 pr-2"><span className="font-mono">{f.account}</span> <span className="text-xs text-slate-500">{f.name}</span></td>
              <td className="py-1 pr-2">
                <div className="w-24"><Input className="tabular-nums" inputMode="numeric" maxLength={4} aria-label={t("fundYearOf", { account: f.account })}
                  aria-invalid={bad[`year-${f.account}`] ?? false} defaultValue={choices.fundYears[f.account] ?? f.year ?? ""}
                  onChange={(e) => setYear(f.account, e.target.value)} /></div>
              </td>
              <td className="py-1 text-right"><Amount ore={f.ibOre} /></td>
              <td className="py-1 pl-2 text-right">
                <div className="ml-auto w-36"><Input className="text-right tabular-nums" inputMode="decimal" aria-label={t("reversalOf", { account: f.account })}
                  aria-invalid={bad[`rev-${f.account}`] ?? false}
                  defaultValue={oreToInput(typeof choices.reversals === "object" ? choices.reversals[f.account] ?? f.reversedOre : f.reversedOre)}
                  onChange={(e) => setReversal(f.account, e.target.value)} /></div>
              </td>
              <td className="py-1 text-right"><Amount ore={f.upliftOre} muted /></td>
              <td className="py-1 pl-3 text-xs">{f.mustReverse ? t("mustReverse") : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.values(bad).some(Boolean) && <p role="alert" className="text-sm text-red-700">{t("fundInputInvalid")}</p>}
      {ownReversals && (
        <Button type="button" variant="secondary" onClick={() => { onChange({ ...choices, reversals: "required" }); setBad({}); setGeneration((g) => g + 1); }}>
          {t("resetReversals")}
        </Button>
      )}
      {schablon.fundsAtStartOre > 0 && (
        <div className="grid gap-2 md:grid-cols-2">
          <p className="text-sm text-slate-700" data-testid="tax-schablon">
            {schablon.slrBp === null ? t("schablonUnknown", { year: schablon.novemberYear }) : t("schablonLine", {
              amount: formatOre(schablon.amountOre), funds: formatOre(schablon.fundsAtStartOre), rate: ratePercent(schablon.ratePpm),
              year: schablon.novemberYear, slr: (schablon.slrBp / 100).toLocaleString("sv-SE", { minimumFractionDigits: 2 }),
            })}
          </p>
          <div className="space-y-1">
            <label htmlFor="slr" className="block text-sm font-medium text-slate-800">{t("slr", { year: schablon.novemberYear })}</label>
            <div className="w-28"><Input id="slr" className="text-right tabular-nums" inputMode="decimal" aria-invalid={bad.slr ?? false} aria-describedby="slr-hint"
              defaultValue={choices.slrBp === null ? "" : (choices.slrBp / 100).toLocaleString("sv-SE", { minimumFractionDigits: 2 })}
              onChange={(e) => setSlr(e.target.value)} /></div>
            <p id="slr-hint" className="text-xs text-slate-500">{t("slrHint")}</p>
          </div>
        </div>
      )}
    </div>
  );
}
