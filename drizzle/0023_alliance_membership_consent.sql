ALTER TABLE "alliance_member" ALTER COLUMN "joined_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "alliance_member" ALTER COLUMN "joined_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD COLUMN "status" text DEFAULT 'invited' NOT NULL;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD COLUMN "invited_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD COLUMN "invited_by_user_id" text;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD COLUMN "answered_by_user_id" text;--> statement-breakpoint
ALTER TABLE "alliance_member" ADD CONSTRAINT "alliance_member_status" CHECK ("alliance_member"."status" in ('invited', 'accepted', 'declined'));--> statement-breakpoint
-- Memberships made before invitations existed stay members: accepted when they joined.
UPDATE "alliance_member" SET "status" = 'accepted', "invited_at" = "joined_at", "answered_at" = "joined_at";
