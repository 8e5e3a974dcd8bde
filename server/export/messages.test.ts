import { describe, expect, test } from "vitest";
import en from "@/messages/en.json";
import sv from "@/messages/sv.json";
import { describeError } from "@/server/errors";
import { apiErrorFromResponse } from "@/server/fortnox/error-answers";
import { AccountSchema, LockedPeriodAnswerSchema } from "@/server/fortnox/schemas";
import { firstInvalidCharacter, toFortnoxText } from "@/server/fortnox/text";
import { isValidFortnoxText } from "@/server/sandbox/api/rules";
import { translator } from "@/server/i18n/messages";
import { classifyWriteError } from "./run";
import { checkVoucherShape, EXPORT_ERROR_KEYS } from "./prechecks";
import { makeVouchers } from "./testing/source";

// Units of Fortnox's stricter rules: the character whitelist and its substitutes, the answers that carry the
// automatic lock, a refused character or a refused cost centre, and their texts in Swedish and English.

describe("the character whitelist", () => {
  test("our list and the sandbox's (written separately from Fortnox's page) agree on every character", () => {
    const disagree: string[] = [];
    for (let cp = 0; cp <= 0x2fff; cp++) {
      const ch = String.fromCodePoint(cp);
      if ((firstInvalidCharacter(ch) === null) !== isValidFortnoxText(ch)) disagree.push(`U+${cp.toString(16)}`);
    }
    expect(disagree).toEqual([]);
  });

  test.each([
    [`Hyra "kontor"`, "Hyra ’kontor’"],
    ["“citat” och „citat“", "’citat’ och ’citat’"],
    ["Kund's", "Kund’s"],
    ["a\tb", "a b"],
    ["2025 — avskrivning", "2025 – avskrivning"],
    ["−500", "-500"],
    ["osv…", "osv..."],
    ["a\u2009b\u00a0c", "a b\u00a0c"],
    ["sof\u00adt\u200b", "soft"],
    ["e\u0301", "é"],
  ])("%j is sent as %j, which Fortnox accepts", (input, sent) => {
    expect(toFortnoxText(input)).toBe(sent);
    expect(isValidFortnoxText(sent)).toBe(true);
  });

  test.each([
    ["<", "<", "U+003C"],
    [">", ">", "U+003E"],
    ["[", "[", "U+005B"],
    ["]", "]", "U+005D"],
    ["{", "{", "U+007B"],
    ["}", "}", "U+007D"],
    ["|", "|", "U+007C"],
    ["~", "~", "U+007E"],
    ["\u0007", "U+0007", "U+0007"],
    ["😀", "😀", "U+1F600"],
  ])("%j has no substitute and is named", (ch, character, code) => {
    expect(firstInvalidCharacter(toFortnoxText(`ok ${ch} ok`))).toEqual({ character, code });
  });

  test("the shape check measures and checks the texts as sent", () => {
    const v = { ...makeVouchers(1)[0], text: `"${"x".repeat(198)}"`, comments: "tab\there" };
    expect(checkVoucherShape(v)).toEqual([]);
    expect(checkVoucherShape({ ...v, text: "a ~ b" }).map((p) => [p.key, p.params])).toEqual([["exportInvalidCharacterText", { character: "~", code: "U+007E" }]]);
  });
});

describe("Fortnox's answers", () => {
  const refused = (body: unknown) => apiErrorFromResponse({ status: 400, bodyText: JSON.stringify(body), method: "POST" });

  test.each([
    ["2002141 by code", { ErrorInformation: { error: 1, message: "Bokföringsdatumet ligger i en automatlåst period", code: 2002141 } }, "period_auto_locked", {}, "fortnoxApp"],
    ["the automatic lock by its text alone", { ErrorInformation: { Error: 1, Message: "Bokföringsdatumet ligger i en automatlåst period" } }, "period_auto_locked", {}, "fortnoxApp"],
    ["2000359 with a string code", { ErrorInformation: { Error: 1, Message: "Värdet innehåller ej tillåtna tecken. (Description)", Code: "2000359" } }, "invalid_characters", {}, "input"],
    ["a refused character by its text alone", { message: "Värdet innehåller ej tillåtna tecken." }, "invalid_characters", {}, "input"],
    ["a cost centre required", { ErrorInformation: { error: 1, message: "Kostnadsställe måste anges för konto 5010.", code: 2000588 } }, "dimension_refused", { account: 5010 }, "fortnoxApp"],
    ["a project not allowed", { ErrorInformation: { error: 1, message: "Projekt får inte anges för konto 1930.", code: 2000588 } }, "dimension_refused", { account: 1930 }, "fortnoxApp"],
    ["an invalid parameter that names no account", { ErrorInformation: { error: 1, message: "Ogiltig parameter", code: 2000588 } }, "invalid_parameter", {}, "input"],
  ])("%s → %s", (_name, body, kind, params, fix) => {
    const err = refused(body);
    expect(err.kind).toBe(kind);
    expect(describeError(err)).toEqual({ key: `fortnox.error.${kind}`, params, fix, code: "PRECONDITION_FAILED" });
    // Refused for certain: the voucher is not in Fortnox and is not sent again.
    expect(classifyWriteError(err)).toBe("rejected");
  });

  test.each([
    [{ LockedPeriod: { EndDate: "2025-08-31" } }, "2025-08-31"],
    [{ LockedPeriod: {} }, null],
    [{ LockedPeriod: { EndDate: "" } }, null],
    [{ LockedPeriod: null }, null],
    [{}, null],
  ])("locked period %j → %s", (answer, endDate) => {
    expect(LockedPeriodAnswerSchema.parse(answer)).toEqual({ endDate });
  });

  test("cost centre and project settings of an account; absent or unknown reads as ALLOWED", () => {
    const parse = (extra: object) => AccountSchema.parse({ Number: 5010, Description: "Lokalhyra", ...extra });
    expect(parse({ CostCenterSettings: "MANDATORY", ProjectSettings: "notallowed" })).toMatchObject({ costCenterSettings: "MANDATORY", projectSettings: "NOTALLOWED" });
    expect(parse({})).toMatchObject({ costCenterSettings: "ALLOWED", projectSettings: "ALLOWED" });
    expect(parse({ CostCenterSettings: "SOMETIMES" }).costCenterSettings).toBe("ALLOWED");
  });
});

describe("texts in Swedish and English", () => {
  const params = { account: "5010", row: 2, character: "|", code: "U+007C", date: "2025-11-30", lockedThrough: "2025-11-30" };
  const keys = [
    ...EXPORT_ERROR_KEYS.filter((k) => /Character|CostCenter|Project/.test(k)),
    "fortnox.error.period_auto_locked",
    "fortnox.error.invalid_characters",
    "fortnox.error.dimension_refused",
  ];
  const at = (messages: object, key: string) => key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], (messages as { errors: object }).errors);

  test.each([["sv", sv], ["en", en]] as const)("%s: every new key has a text that formats with its parameters", (locale, messages) => {
    // The app's own server-side translator (next-intl), as the job summaries and error mapping use it.
    const t = translator(locale, "errors");
    for (const key of keys) {
      expect(typeof at(messages, key), key).toBe("string");
      expect(t(key as never, params as never), key).not.toMatch(/[{}]\w|^errors\./);
    }
    // The examples of refused characters survive ICU formatting literally.
    expect(t("fortnox.error.invalid_characters" as never)).toContain("[ ] { } | ~");
  });

  test("the Swedish texts say who can fix it", () => {
    expect(at(sv, "fortnox.error.period_auto_locked")).toMatch(/lås(a)? upp perioden i Fortnox.*ändrar du verifikationens datum/);
    expect(at(sv, "exportCostCenterRequired")).toMatch(/Ändra kontots inställning .* i Fortnox/);
  });
});
