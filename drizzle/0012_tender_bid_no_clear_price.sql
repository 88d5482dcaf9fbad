ALTER TABLE "tender_bid" DROP COLUMN "fen_per_kg";--> statement-breakpoint
ALTER TABLE "tender_bid" DROP COLUMN "opening_check";