export * from "./identity";
export * from "./clients";
export * from "./activity";
export * from "./jobs";
export * from "./blobs";
export * from "./ledger";
export * from "./closing";
