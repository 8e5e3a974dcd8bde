// Inbox files and their connections to vouchers (the export's attachments).

import { z } from "zod";
import { ciObject, intOrNull, int, text, textOrNull } from "./fields";

export const FileSchema = ciObject({
  Id: text,
  ArchiveFileId: textOrNull,
  Name: text,
  Path: textOrNull,
  Size: intOrNull,
}).transform((f) => ({ id: f.Id, archiveFileId: f.ArchiveFileId, name: f.Name, path: f.Path, size: f.Size }));
export type FortnoxFile = z.output<typeof FileSchema>;

export const VoucherFileConnectionSchema = ciObject({
  FileId: text,
  VoucherNumber: int,
  VoucherSeries: text,
  VoucherYear: intOrNull,
  VoucherDescription: text,
}).transform((c) => ({
  fileId: c.FileId,
  voucherNumber: c.VoucherNumber,
  voucherSeries: c.VoucherSeries,
  voucherYear: c.VoucherYear,
  voucherDescription: c.VoucherDescription,
}));
export type VoucherFileConnection = z.output<typeof VoucherFileConnectionSchema>;
