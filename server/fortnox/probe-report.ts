// The probe's report as an operator reads it in a terminal: one screen, plain text, English (an operator's tool,
// like the logs), every finding with what it means for the app.

import type { EndpointProbe, KeyPresence, ProbeReport } from "./probe";

const RESULT: Record<EndpointProbe["outcome"]["result"], string> = {
  ok: "ok",
  missing_scope: "MISSING SCOPE (2000663): the consent lacks it; connect again with it",
  no_licence: "NO LICENCE (2001101): the company's Fortnox lacks this module",
  other: "OTHER",
};

function outcome(p: EndpointProbe): string {
  const o = p.outcome;
  if (o.result === "other") return `${RESULT.other}: ${o.status === null ? "" : `HTTP ${o.status} `}${o.code === null ? "" : `code ${o.code} `}${o.detail}`.trim();
  return RESULT[o.result];
}

const yesNo = (k: KeyPresence) => `${k.answer}  (${k.why})`;

export function formatProbeReport(r: ProbeReport, header: [string, string][] = []): string {
  const out: string[] = [];
  const line = (label: string, value: string) => out.push(`  ${label.padEnd(44)} ${value}`);
  out.push("Fortnox check: read-only (GET requests only)", "");
  line("API", r.apiUrl);
  for (const [label, value] of header) line(label, value);
  line("Company", [r.company.name ?? "?", r.company.orgNr ?? "?", r.company.databaseNumber ? `DatabaseNumber ${r.company.databaseNumber}` : null].filter(Boolean).join(", "));
  line("Financial year probed", r.year ? `${r.year.from} – ${r.year.to} (Id ${r.year.id})` : "none found");
  out.push("", "Scopes");
  line("granted at consent (stored)", r.scopes.stored ? r.scopes.stored.join(" ") || "(none)" : "not known (no stored connection)");
  line("in the access token (unverified claim)", r.scopes.token ? r.scopes.token.join(" ") || "(none)" : "no scope claim");
  out.push("", "Endpoints (GET, limit=1)");
  const width = Math.max(...r.endpoints.map((e) => e.path.length));
  for (const e of r.endpoints) out.push(`  ${e.path.padEnd(width)}  ${e.scope.padEnd(26)} ${outcome(e)}`);
  out.push("", "What the app relies on");
  line("voucher lists carry Comments", yesNo(r.voucherListComments));
  line("invoice payment lists carry AmountCurrency", yesNo(r.paymentListAmountCurrency.invoicepayments));
  line("supplier payment lists carry AmountCurrency", yesNo(r.paymentListAmountCurrency.supplierinvoicepayments));
  const lp = r.lockedPeriod;
  line(
    "locked period",
    !lp.answered ? "no answer (see endpoints)"
      : lp.hasDate ? `locked through ${lp.endDate}`
      : `the answer has no date${lp.wrapper ? "" : " and no LockedPeriod wrapper"} (nothing locked?): ${lp.raw}`,
  );
  line("SIE download Content-Type", r.sieContentType ?? "not seen (see endpoints)");
  line("/3/me wrapper key", r.meWrapperKey ?? "not reachable (see endpoints)");
  const rl = Object.entries(r.rateLimitHeaders).filter(([k]) => k !== "retry-after");
  line("rate-limit headers seen", rl.length ? rl.map(([k, v]) => `${k}: ${v.join(" | ")}`).join("; ") : "none");
  line("Retry-After", r.retryAfterSeen ? `seen: ${r.rateLimitHeaders["retry-after"].join(" | ")}` : r.requests.http429 ? "absent on the 429 answers" : "not seen (no 429 during the probe)");
  out.push("");
  line("requests to the API", `${r.requests.get} GET, ${r.requests.other} other, ${r.requests.http429} answered 429`);
  const bad = r.endpoints.filter((e) => e.outcome.result !== "ok");
  out.push("", bad.length ? `${bad.length} endpoint(s) not usable: ${bad.map((e) => e.id).join(", ")}` : "Every endpoint answered.");
  return out.join("\n") + "\n";
}
