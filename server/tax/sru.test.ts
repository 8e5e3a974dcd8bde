import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeTax } from "./compute";
import { checkSru } from "./sru-check";
import { sruDocument, writeSru, type SruDocument } from "./sru";
import { acc, kr, res } from "./testing";

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(import.meta.dirname, "fixtures", name)));

const sample = () => computeTax({
  year: { start: "2024-01-01", end: "2024-12-31" },
  accounts: [
    acc("1930", "Företagskonto", 300_000, 641_000),
    acc("2081", "Aktiekapital", -25_000, -25_000),
    acc("2091", "Balanserad vinst", -175_000, -175_000),
    acc("2123", "Periodiseringsfond 2023", -100_000, -100_000),
    acc("2440", "Leverantörsskulder", 0, -50_000),
    res("3001", "Försäljning", -1_000_000),
    res("5010", "Lokalhyra", 300_000),
    res("6072", "Representation, ej avdragsgill", 10_000),
    res("7010", "Löner", 400_000),
    res("8314", "Skattefria ränteintäkter", -2_000),
    res("8423", "Räntekostnader för skatter och avgifter", 1_000),
  ],
  choices: { allocationOre: kr(75_655), bookTax: true },
});

const meta = {
  orgNr: "556677-8899", name: "Exempelbolaget Åkesson AB", createdAt: { date: "20250315", time: "093000" },
  program: { name: "Skatt&Bokslut", version: "0.1.0" },
  sender: { orgNr: "5566778899", name: "Exempelbolaget Åkesson AB", address: "Storgatan 12", postalCode: "411 01", city: "Göteborg", contact: "Åsa Öberg", email: "asa@example.se", phone: "031-123456" },
};

describe("the SRU files", () => {
  it("match the hand-checked pair byte for byte (fixtures/README.md)", () => {
    const doc = sruDocument(sample(), meta);
    expect(checkSru(doc)).toEqual([]);
    const files = writeSru(doc);
    expect(Buffer.from(files.info).toString("latin1")).toBe(Buffer.from(fixture("INFO.SRU")).toString("latin1"));
    expect(files.info).toEqual(fixture("INFO.SRU"));
    expect(files.blanketter).toEqual(fixture("BLANKETTER.SRU"));
  });

  it("refuse what Skatteverket would: bad org nr, unknown period, zero and duplicate fields, both halves of a pair", () => {
    const doc = sruDocument(sample(), meta);
    const broken: SruDocument = {
      ...doc, orgNr: "165566778898", period: "2027P4",
      sender: { ...doc.sender, postalCode: "4110", city: "" },
      blocks: doc.blocks.map((b) => (b.form === "INK2S" ? { ...b, fields: [...b.fields, { code: "7770", value: "5" }, { code: "7653", value: "0" }, { code: "7653", value: "0" }] } : b)),
    };
    const keys = checkSru(broken).map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(["orgNrInvalid", "formVersionUnknown", "postalCodeInvalid", "cityMissing", "zeroField", "duplicateField", "exclusivePair", "ink2Mismatch"]));
    expect(checkSru({ ...doc, name: "A#B ☃" }).map((p) => p.key)).toEqual(["textHasHash", "textNotLatin1"]);
    // The writer itself never lets '#' into a value.
    expect(Buffer.from(writeSru({ ...doc, name: "A#B" }).blanketter).toString("latin1")).toContain("#NAMN A B\r\n");
  });

  it("find an INK2R that does not balance by more than the öre the fields drop", () => {
    const doc = sruDocument(sample(), meta);
    const off: SruDocument = { ...doc, blocks: doc.blocks.map((b) => (b.form === "INK2R" ? { ...b, fields: b.fields.map((f) => (f.code === "7281" ? { ...f, value: "641020" } : f)) } : b)) };
    expect(checkSru(off).map((p) => p.key)).toEqual(["balanceSheetUnbalanced"]);
    const within: SruDocument = { ...doc, blocks: doc.blocks.map((b) => (b.form === "INK2R" ? { ...b, fields: b.fields.map((f) => (f.code === "7281" ? { ...f, value: "641003" } : f)) } : b)) };
    expect(checkSru(within)).toEqual([]);
  });
});
