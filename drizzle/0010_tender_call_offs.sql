CREATE TABLE "search_herb" (
	"id" text PRIMARY KEY NOT NULL,
	"herb_key" text NOT NULL,
	"names" text[] NOT NULL,
	"search_text" text NOT NULL,
	"latin" text NOT NULL,
	"pinyin_compact" text NOT NULL,
	"pinyin_compact_u" text NOT NULL,
	"pinyin_words" text NOT NULL,
	"initials" text NOT NULL,
	"grams" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_off" (
	"id" text PRIMARY KEY NOT NULL,
	"allocation_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"member_org_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"grams" integer NOT NULL,
	"fen_per_kg" integer NOT NULL,
	"total_fen" integer NOT NULL,
	"status" text DEFAULT 'placed' NOT NULL,
	"delivered_g" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text NOT NULL,
	"placed_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "call_off_amounts" CHECK ("call_off"."grams" > 0 and "call_off"."fen_per_kg" > 0 and "call_off"."total_fen" >= 0 and "call_off"."delivered_g" >= 0 and "call_off"."delivered_g" <= "call_off"."grams")
);
--> statement-breakpoint
CREATE TABLE "contract_allocation" (
	"id" text PRIMARY KEY NOT NULL,
	"tender_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"member_org_id" text NOT NULL,
	"agreed_g" integer NOT NULL,
	"chosen_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contract_allocation_grams" CHECK ("contract_allocation"."agreed_g" >= 0)
);
--> statement-breakpoint
ALTER TABLE "search_document" ADD COLUMN "herb_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_document" ADD COLUMN "title_extra" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_allocation_id_contract_allocation_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."contract_allocation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_contract_id_framework_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."framework_contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_member_org_id_organization_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_off" ADD CONSTRAINT "call_off_supplier_org_id_organization_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_allocation" ADD CONSTRAINT "contract_allocation_tender_id_tender_id_fk" FOREIGN KEY ("tender_id") REFERENCES "public"."tender"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_allocation" ADD CONSTRAINT "contract_allocation_lot_id_tender_lot_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."tender_lot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_allocation" ADD CONSTRAINT "contract_allocation_contract_id_framework_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."framework_contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_allocation" ADD CONSTRAINT "contract_allocation_member_org_id_organization_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_off_member_key_uq" ON "call_off" USING btree ("member_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "call_off_contract_idx" ON "call_off" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "call_off_tender_idx" ON "call_off" USING btree ("tender_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_allocation_lot_member_uq" ON "contract_allocation" USING btree ("lot_id","member_org_id");--> statement-breakpoint
CREATE INDEX "contract_allocation_contract_idx" ON "contract_allocation" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "search_document_herb_idx" ON "search_document" USING btree ("herb_id","title_key","kind","form","grade","origin","dao_di","in_stock","price_fen_per_kg","updated_at","id","certificates");--> statement-breakpoint
CREATE INDEX "search_document_title_extra_idx" ON "search_document" USING gin ("title_extra");