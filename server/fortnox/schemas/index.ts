// Zod schemas for the Fortnox resources we read (docs/fortnox-api.md §3). They accept what live answers
// contain — keys in any casing, numbers as strings, 0/1 for booleans, 0 or "" for "no project" — and
// normalise into camelCase domain types with integer öre. Unknown fields are dropped.
// Split by resource: fields.ts (building blocks), bookkeeping.ts, invoices.ts, files.ts.

export * from "./bookkeeping";
export { ciObject, envelope } from "./fields";
export * from "./files";
export * from "./invoices";
