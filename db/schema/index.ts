export * from "./identity";
export * from "./clients";
export * from "./activity";
export * from "./connections";
