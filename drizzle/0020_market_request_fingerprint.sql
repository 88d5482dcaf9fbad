ALTER TABLE "market_command" ADD COLUMN "request_fingerprint" text;--> statement-breakpoint
CREATE INDEX "credit_line_buyer_idx" ON "credit_line" USING btree ("buyer_org_id");--> statement-breakpoint
CREATE INDEX "market_funding_on_terms_idx" ON "market_funding" USING btree ("org_id") WHERE "market_funding"."status" = 'on_terms';--> statement-breakpoint
CREATE INDEX "market_trade_buy_order_idx" ON "market_trade" USING btree ("buy_order_id");--> statement-breakpoint
CREATE INDEX "market_trade_unordered_idx" ON "market_trade" USING btree ("buyer_org_id") WHERE "market_trade"."order_id" is null;