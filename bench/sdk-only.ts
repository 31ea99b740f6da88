/** The bundle benchmark's yardstick: a handler that imports only the DynamoDB clients. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const handler = async () => ({ statusCode: 200, body: String([DynamoDBClient, DynamoDBDocumentClient].length) });
