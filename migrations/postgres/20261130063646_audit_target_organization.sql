-- Modify "audit_logs" table
ALTER TABLE "audit_logs" ADD COLUMN "target_organization_id" character varying NOT NULL DEFAULT '';
-- Create index "auditlog_target_organization_id_timestamp" to table: "audit_logs"
CREATE INDEX "auditlog_target_organization_id_timestamp" ON "audit_logs" ("target_organization_id", "timestamp");
