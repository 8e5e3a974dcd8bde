// The outbox: every state change of `export_items` / `export_attachments` is one conditional UPDATE. It names the
// state it comes from (and, while a worker holds the row, the worker), so two workers can never both move one
// row. Under READ COMMITTED the loser of a race re-reads the row after the winner commits and matches nothing.

export * from "./attachments";
export * from "./items";
export { dropLeases, leaseRemainingMs } from "./lease";
