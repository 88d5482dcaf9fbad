ALTER TABLE "prescription" ADD COLUMN "delivery_address" jsonb;--> statement-breakpoint
CREATE INDEX "org_profile_kind_lat_idx" ON "org_profile" USING btree ("kind","lat");