ALTER TABLE "market_command" DROP CONSTRAINT "market_command_instrument_id_instrument_id_fk";
--> statement-breakpoint
ALTER TABLE "market_command" DROP CONSTRAINT "market_command_lot_id_lot_id_fk";
--> statement-breakpoint
ALTER TABLE "market_command" DROP CONSTRAINT "market_command_org_id_organization_id_fk";
--> statement-breakpoint
ALTER TABLE "market_funding" DROP CONSTRAINT "market_funding_instrument_id_instrument_id_fk";
--> statement-breakpoint
ALTER TABLE "market_funding" DROP CONSTRAINT "market_funding_org_id_organization_id_fk";
--> statement-breakpoint
ALTER TABLE "market_trade" DROP CONSTRAINT "market_trade_instrument_id_instrument_id_fk";
--> statement-breakpoint
ALTER TABLE "market_trade" DROP CONSTRAINT "market_trade_buyer_org_id_organization_id_fk";
--> statement-breakpoint
ALTER TABLE "market_trade" DROP CONSTRAINT "market_trade_seller_org_id_organization_id_fk";

--> statement-breakpoint
-- The foreign keys above are replaced by checks a statement makes once for all its rows. The market's
-- writer inserts a batch's log rows, fundings and trades in one statement; a foreign key checked each
-- of those rows on its own (a lookup and a key-share lock a row and key), about a tenth of the writer's
-- throughput. The same references are now kept by:
-- (1) a statement trigger a table that, after each insert, looks up every new row's instrument,
--     organisation and lot in one query and refuses the statement (23503) when one is missing;
-- (2) those columns being write-once: an update that changes one is refused;
-- (3) an instrument, lot or organisation that the log names not being deletable (23503), as with the
--     foreign keys (every trade and funding row has its command in the log, on the same instrument and
--     by the same organisations, so the log is what is looked at).
-- Unlike a foreign key, an insert does not lock the rows it refers to: a delete of one of them running
-- at the same moment is not held back. Nothing in the application deletes instruments, lots or
-- organisations (organisation deletion is switched off).
CREATE FUNCTION "market_command_references_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT n.id INTO bad FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM instrument i WHERE i.id = n.instrument_id)
      OR NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = n.org_id)
      OR (n.lot_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lot l WHERE l.id = n.lot_id))
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'market_command % refers to an instrument, organisation or lot that does not exist', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "market_trade_references_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT n.id INTO bad FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM instrument i WHERE i.id = n.instrument_id)
      OR NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = n.buyer_org_id)
      OR NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = n.seller_org_id)
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'market_trade % refers to an instrument or organisation that does not exist', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "market_funding_references_check"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT n.order_id INTO bad FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM instrument i WHERE i.id = n.instrument_id)
      OR NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = n.org_id)
   LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'market_funding % refers to an instrument or organisation that does not exist', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "market_command_references" AFTER INSERT ON "market_command" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "market_command_references_check"();
--> statement-breakpoint
CREATE TRIGGER "market_trade_references" AFTER INSERT ON "market_trade" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "market_trade_references_check"();
--> statement-breakpoint
CREATE TRIGGER "market_funding_references" AFTER INSERT ON "market_funding" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "market_funding_references_check"();
--> statement-breakpoint
CREATE FUNCTION "market_references_write_once"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: the instrument, organisations and lot a row refers to cannot be changed', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "market_command_references_fixed" BEFORE UPDATE ON "market_command" FOR EACH ROW
  WHEN (OLD.instrument_id IS DISTINCT FROM NEW.instrument_id OR OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.lot_id IS DISTINCT FROM NEW.lot_id)
  EXECUTE FUNCTION "market_references_write_once"();
--> statement-breakpoint
CREATE TRIGGER "market_trade_references_fixed" BEFORE UPDATE ON "market_trade" FOR EACH ROW
  WHEN (OLD.instrument_id IS DISTINCT FROM NEW.instrument_id OR OLD.buyer_org_id IS DISTINCT FROM NEW.buyer_org_id OR OLD.seller_org_id IS DISTINCT FROM NEW.seller_org_id)
  EXECUTE FUNCTION "market_references_write_once"();
--> statement-breakpoint
CREATE TRIGGER "market_funding_references_fixed" BEFORE UPDATE ON "market_funding" FOR EACH ROW
  WHEN (OLD.instrument_id IS DISTINCT FROM NEW.instrument_id OR OLD.org_id IS DISTINCT FROM NEW.org_id)
  EXECUTE FUNCTION "market_references_write_once"();
--> statement-breakpoint
CREATE FUNCTION "market_referenced_row_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_TABLE_NAME = 'instrument' AND EXISTS (SELECT 1 FROM market_command mc WHERE mc.instrument_id = OLD.id))
     OR (TG_TABLE_NAME = 'organization' AND EXISTS (SELECT 1 FROM market_command mc WHERE mc.org_id = OLD.id))
     OR (TG_TABLE_NAME = 'lot' AND EXISTS (SELECT 1 FROM market_command mc WHERE mc.lot_id = OLD.id)) THEN
    RAISE EXCEPTION '% % is named in the market''s order log and cannot be deleted', TG_TABLE_NAME, OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "instrument_kept_for_market_log" BEFORE DELETE ON "instrument" FOR EACH ROW EXECUTE FUNCTION "market_referenced_row_kept"();
--> statement-breakpoint
CREATE TRIGGER "organization_kept_for_market_log" BEFORE DELETE ON "organization" FOR EACH ROW EXECUTE FUNCTION "market_referenced_row_kept"();
--> statement-breakpoint
CREATE TRIGGER "lot_kept_for_market_log" BEFORE DELETE ON "lot" FOR EACH ROW EXECUTE FUNCTION "market_referenced_row_kept"();
