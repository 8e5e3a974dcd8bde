import { randomBytes } from "node:crypto";
import type { VoucherInput } from "@/server/fortnox/resources";
import { toFortnoxText } from "@/server/fortnox/text";
import type { ExportVoucher } from "./types";

// The marker that identifies an export item in Fortnox, and the voucher exactly as Fortnox will receive it.

// Crockford's base32: no I, L, O, U, so a marker read aloud or retyped stays unambiguous.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const MARKER_PREFIX = "SB:";
export const MARKER_LENGTH = MARKER_PREFIX.length + 10;
/** Fixed length, so that no marker is a prefix of another and a plain substring match is exact. */
export const MARKER_PATTERN = /SB:[0-9A-HJKMNP-TV-Z]{10}/g;

export function newMarker(): string {
  const bytes = randomBytes(10);
  let s = MARKER_PREFIX;
  for (const b of bytes) s += ALPHABET[b & 31];
  return s;
}

/** The marker goes first: whatever Fortnox might do to a long comment, the start survives. */
export function commentsWithMarker(marker: string, comments?: string): string {
  const c = (comments ?? "").trim();
  return c ? `${marker} ${c}` : marker;
}

/** Markers found in a Comments text. */
export function markersIn(comments: string): string[] {
  return comments.match(MARKER_PATTERN) ?? [];
}

export const LIMITS = { description: 200, comments: 1000, transactionInformation: 100 } as const;

/** The texts of a voucher as Fortnox will receive them (prechecks.ts measures and checks exactly these). */
export function fortnoxTexts(v: ExportVoucher): { description: string; comments: string; rows: string[] } {
  return {
    description: toFortnoxText(v.text).trim(),
    comments: toFortnoxText(v.comments ?? "").trim(),
    rows: v.rows.map((r) => toFortnoxText(r.text ?? "").trim()),
  };
}

export function toVoucherInput(v: ExportVoucher, series: string, marker: string): VoucherInput {
  const texts = fortnoxTexts(v);
  return {
    series,
    transactionDate: v.date,
    description: texts.description,
    comments: commentsWithMarker(marker, texts.comments),
    rows: v.rows.map((r, i) => ({
      account: Number(r.account),
      amountOre: r.amountOre,
      transactionInformation: texts.rows[i] || undefined,
      costCenter: r.costCenter || undefined,
      project: r.project || undefined,
    })),
  };
}
