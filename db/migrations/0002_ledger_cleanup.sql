-- ledger_rows and ledger_vouchers carry no foreign key (it halved bulk-insert speed); this trigger keeps them
-- from outliving their import, whichever way the import goes (project or firm deleted, import discarded).
CREATE FUNCTION ledger_delete_import_rows() RETURNS trigger AS $$
BEGIN
  DELETE FROM ledger_rows WHERE import_id = OLD.id;
  DELETE FROM ledger_vouchers WHERE import_id = OLD.id;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER imports_delete_ledger_rows BEFORE DELETE ON imports FOR EACH ROW EXECUTE FUNCTION ledger_delete_import_rows();
