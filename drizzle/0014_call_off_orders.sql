ALTER TABLE "call_off" DROP CONSTRAINT "call_off_amounts";--> statement-breakpoint
ALTER TABLE "stock_reservation" ALTER COLUMN "listing_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ALTER COLUMN "listing_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ALTER COLUMN "lot_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ALTER COLUMN "reservation_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "order_line" ALTER COLUMN "reservation_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN "source" text DEFAULT 'cart' NOT NULL;--> statement-breakpoint
ALTER TABLE "order" ADD COLUMN "call_off_id" text;--> statement-breakpoint
ALTER TABLE "order" ADD CONSTRAINT "order_call_off_id_call_off_id_fk" FOREIGN KEY ("call_off_id") REFERENCES "public"."call_off"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "order_call_off_uq" ON "order" USING btree ("call_off_id");--> statement-breakpoint
CREATE INDEX "call_off_allocation_idx" ON "call_off" USING btree ("allocation_id");--> statement-breakpoint
ALTER TABLE "call_off" DROP COLUMN "status";--> statement-breakpoint
ALTER TABLE "call_off" DROP COLUMN "delivered_g";--> statement-breakpoint
ALTER TABLE "call_off" DROP COLUMN "delivered_at";--> statement-breakpoint
ALTER TABLE "order" ADD CONSTRAINT "order_call_off_source" CHECK (("order"."source" = 'call_off') = ("order"."call_off_id" is not null));--> statement-breakpoint
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_reservation_has_lot" CHECK ("order_line"."reservation_id" is null or ("order_line"."lot_id" is not null and "order_line"."reservation_key" is not null));--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_amounts" CHECK ("call_off"."grams" > 0 and "call_off"."fen_per_kg" > 0 and "call_off"."total_fen" >= 0);