/** Starts one DynamoDB Local (in memory) for the whole run; each test file makes its own table in it. */
import type { TestProject } from "vitest/node";
import { type DynamoLocal, startDynamoLocal } from "../local/dynamo.ts";

let dynamo: DynamoLocal | undefined;

export async function setup(project: TestProject) {
  dynamo = await startDynamoLocal();
  project.provide("dynamoEndpoint", dynamo.endpoint);
}

export async function teardown() {
  await dynamo?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
