// Which files an attachment may be, decided by content, never by the name alone: the extension names the kind
// the user claims, and the bytes must agree (magic bytes at the head; for Office Open XML also the ZIP's table of
// contents at the tail). Pure: no storage, no I/O.

export type AttachmentKind = "pdf" | "png" | "jpeg" | "docx" | "xlsx" | "doc" | "xls" | "csv" | "txt";

const KIND_BY_EXTENSION: Record<string, AttachmentKind> = {
  pdf: "pdf", png: "png", jpg: "jpeg", jpeg: "jpeg", docx: "docx", xlsx: "xlsx", doc: "doc", xls: "xls", csv: "csv", txt: "txt",
};

export const ACCEPTED_EXTENSIONS = Object.keys(KIND_BY_EXTENSION).map((e) => `.${e}`);

/** The only Content-Type an attachment is ever served with: from its checked kind, never from the upload. */
export const CONTENT_TYPE: Record<AttachmentKind, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpeg: "image/jpeg",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

/** Shown inline in the page; everything else is only downloaded. */
export const PREVIEWABLE: ReadonlySet<AttachmentKind> = new Set(["pdf", "png", "jpeg"]);

export function kindOfFileName(name: string): AttachmentKind | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(name.trim());
  return m ? (KIND_BY_EXTENSION[m[1].toLowerCase()] ?? null) : null;
}

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const BINARY = [PDF, PNG, JPEG, ZIP, OLE2, [0x47, 0x49, 0x46, 0x38] /* GIF8 */, [0x7f, 0x45, 0x4c, 0x46] /* ELF */, [0x4d, 0x5a] /* MZ */];

function indexOf(hay: Uint8Array, needle: number[], limit: number): number {
  const end = Math.min(hay.length - needle.length, limit);
  for (let i = 0; i <= end; i++) if (startsWith(hay, needle, i)) return i;
  return -1;
}

/** Whether the first bytes (up to a few KB) are what the kind's files start with. */
export function headMatches(kind: AttachmentKind, head: Uint8Array): boolean {
  switch (kind) {
    // Readers accept the header anywhere in the first 1024 bytes; some producers write a little before it.
    case "pdf": return indexOf(head, PDF, 1024) >= 0;
    case "png": return startsWith(head, PNG);
    case "jpeg": return startsWith(head, JPEG);
    case "docx":
    case "xlsx": return startsWith(head, ZIP);
    case "doc":
    case "xls": return startsWith(head, OLE2);
    case "csv":
    case "txt": {
      if (!head.length || BINARY.some((sig) => startsWith(head, sig))) return false;
      if (head.includes(0)) return false;
      // Never markup behind a text name: it is only ever downloaded, but it is not what the name says either.
      const start = Buffer.from(head.subarray(0, 64)).toString("latin1").replace(/^\uFEFF|^ï»¿/, "").trimStart().toLowerCase();
      return !/^<(!doctype|html|svg|\?xml|script)/.test(start);
    }
  }
}

/**
 * Office Open XML: the ZIP's central directory (at the end of the file) must list [Content_Types].xml and the
 * main part of the kind (word/… for docx, xl/… for xlsx). `tail` holds the file's last bytes. Returns null when
 * the directory is not within the tail (or is ZIP64): then the ZIP signature at the head is all we can check.
 */
export function zipEntriesMatch(kind: "docx" | "xlsx", tail: Uint8Array, fileSize: number): boolean | null {
  const names = zipNames(tail, fileSize);
  if (names === "notZip") return false;
  if (names === null) return null;
  const main = kind === "docx" ? "word/" : "xl/";
  return names.includes("[Content_Types].xml") && names.some((n) => n.startsWith(main));
}

function zipNames(tail: Uint8Array, fileSize: number): string[] | "notZip" | null {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  // End of central directory: 22 bytes plus a comment of at most 65 535.
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - 0xffff; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return tail.length >= Math.min(fileSize, 22 + 0xffff) ? "notZip" : null;
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null; // ZIP64
  const tailStart = fileSize - tail.length;
  if (cdOffset < tailStart) return null;
  let p = cdOffset - tailStart;
  const names: string[] = [];
  for (let n = 0; n < entries; n++) {
    if (p + 46 > tail.length || view.getUint32(p, true) !== 0x02014b50) return "notZip";
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > tail.length) return "notZip";
    names.push(Buffer.from(tail.subarray(p + 46, p + 46 + nameLen)).toString("utf8"));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** `filename="…"` for old clients (ASCII only, no quotes) and `filename*` (RFC 5987) with the real name. */
export function contentDisposition(type: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["\\;]/g, "_").trim() || "fil";
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
