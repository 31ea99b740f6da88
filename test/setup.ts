import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// Every test file gets its own table in the shared DynamoDB Local.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomBytes(6).toString("hex")}`;
process.env.AWS_REGION = "eu-north-1";
// The stage's key-hash secret (SPEC §1), as `npm start` keeps one in .local/secrets.json: one per test file.
process.env.KEY_HMAC = randomBytes(32).toString("base64url");
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? "warn";
