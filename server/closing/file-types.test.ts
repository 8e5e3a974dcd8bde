import { describe, expect, it } from "vitest";
import { docxBytes, ole2Bytes, pdfBytes, pngBytes, xlsxBytes, zipBytes } from "@/server/testing/files";
import { contentDisposition, headMatches, kindOfFileName, zipEntriesMatch } from "./file-types";

const text = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

describe("attachment file types", () => {
  it("takes the kind from the extension, case-insensitively, and knows nothing else", () => {
    expect(kindOfFileName("Kontoutdrag dec.PDF")).toBe("pdf");
    expect(kindOfFileName("kvitto.jpg")).toBe("jpeg");
    expect(kindOfFileName("kvitto.JPEG")).toBe("jpeg");
    expect(kindOfFileName("avskrivningar.xlsx")).toBe("xlsx");
    expect(kindOfFileName("gammal.xls")).toBe("xls");
    expect(kindOfFileName("lista.csv")).toBe("csv");
    for (const bad of ["bild.svg", "sida.html", "program.exe", "utan-punkt", "arkiv.zip", "x.pdf.exe"]) expect(kindOfFileName(bad), bad).toBeNull();
  });

  it("accepts content that matches the extension", () => {
    expect(headMatches("pdf", pdfBytes())).toBe(true);
    expect(headMatches("png", pngBytes())).toBe(true);
    expect(headMatches("jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe(true);
    expect(headMatches("docx", docxBytes())).toBe(true);
    expect(headMatches("doc", ole2Bytes())).toBe(true);
    expect(headMatches("xls", ole2Bytes())).toBe(true);
    expect(headMatches("csv", text("Konto;Belopp\n1930;100,00\n"))).toBe(true);
    expect(headMatches("txt", text("\uFEFFAnteckning om kassan"))).toBe(true);
  });

  it("refuses content disguised behind another extension", () => {
    expect(headMatches("pdf", pngBytes())).toBe(false);
    expect(headMatches("png", pdfBytes())).toBe(false);
    expect(headMatches("jpeg", pngBytes())).toBe(false);
    expect(headMatches("docx", pdfBytes())).toBe(false);
    expect(headMatches("doc", docxBytes())).toBe(false);
    expect(headMatches("txt", pdfBytes())).toBe(false);
    expect(headMatches("txt", new Uint8Array([0x41, 0, 0x42]))).toBe(false);
    expect(headMatches("csv", docxBytes())).toBe(false);
    for (const markup of ["<!DOCTYPE html><script>alert(1)</script>", "  <html><body>", "<svg xmlns='http://www.w3.org/2000/svg'/>", "<?xml version='1.0'?><svg/>"]) {
      expect(headMatches("txt", text(markup)), markup).toBe(false);
    }
    expect(headMatches("pdf", new Uint8Array(0))).toBe(false);
  });

  it("finds a PDF header within the first 1024 bytes only", () => {
    const late = (n: number) => new Uint8Array([...new Uint8Array(n).fill(0x20), ...pdfBytes()]);
    expect(headMatches("pdf", late(500))).toBe(true);
    expect(headMatches("pdf", late(2000))).toBe(false);
  });

  it("tells a Word file from an Excel file by the ZIP's table of contents", () => {
    const docx = docxBytes();
    const xlsx = xlsxBytes();
    expect(zipEntriesMatch("docx", docx, docx.length)).toBe(true);
    expect(zipEntriesMatch("xlsx", xlsx, xlsx.length)).toBe(true);
    expect(zipEntriesMatch("docx", xlsx, xlsx.length)).toBe(false);
    expect(zipEntriesMatch("xlsx", docx, docx.length)).toBe(false);
    // A plain ZIP archive renamed to .docx has no [Content_Types].xml.
    const plain = zipBytes({ "readme.txt": "hej", "word/x.xml": "<x/>" });
    expect(zipEntriesMatch("docx", plain, plain.length)).toBe(false);
    // A ZIP header followed by garbage has no directory at all.
    const garbage = new Uint8Array([0x50, 0x4b, 3, 4, ...new Uint8Array(500).fill(7)]);
    expect(zipEntriesMatch("docx", garbage, garbage.length)).toBe(false);
  });

  it("says it cannot tell when the directory lies before the kept tail", () => {
    const docx = docxBytes();
    const tail = docx.subarray(docx.length - 30);
    expect(zipEntriesMatch("docx", tail, docx.length)).toBeNull();
  });

  it("writes Content-Disposition with an ASCII fallback and the real name", () => {
    expect(contentDisposition("inline", "Kontoutdrag.pdf")).toBe(`inline; filename="Kontoutdrag.pdf"; filename*=UTF-8''Kontoutdrag.pdf`);
    const h = contentDisposition("attachment", 'Årsbesked "bank"; 2025.pdf');
    expect(h).toMatch(/^attachment; filename="Arsbesked _bank__ 2025.pdf"; filename\*=UTF-8''/);
    expect(h).toContain("%C3%85rsbesked%20%22bank%22%3B%202025.pdf");
    expect(h).not.toMatch(/[\r\n]/);
  });
});
