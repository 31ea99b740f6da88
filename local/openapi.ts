/**
 * `npm run openapi`: writes the OpenAPI document (generated from the routes and zod schemas) to
 * shared/http/openapi.json, which the docs function serves as it is — it bundles no store and no
 * schema code. A test fails when the file is older than the routes and schemas.
 */
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../shared/http/openapi.ts";

export const OPENAPI_FILE = new URL("../shared/http/openapi.json", import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log(`wrote ${OPENAPI_FILE.pathname}`);
}
