import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// Every test file gets its own table in the shared DynamoDB Local.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomBytes(6).toString("hex")}`;
process.env.AWS_REGION = "eu-north-1";
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? "warn";
