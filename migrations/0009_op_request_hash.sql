-- The fingerprint of the request each opId was first used for (api/src/cases/op-request-hash.ts): an opId reused for
-- another action, body or case answers 409 OP_ID_REUSED. Rows from before stay NULL and replay as they did.
ALTER TABLE "case_op" ADD COLUMN "request_hash" text;
