/** The benchmarks' composition: the local runtime on a bench table of its own. */
import { outsideParts } from "../functions/outside.ts";
import { documentClientOf, runtimeOf, storeOf } from "../functions/runtime.ts";
import type { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { SecretReader } from "../shared/adapters/secrets.ts";
import type { Runtime } from "../shared/app/ports.ts";

/**
 * The runtime of this process's environment on `table`, with the parts a bench gives (a notifier, a
 * clock), through `doc` (a client whose calls a bench counts).
 */
export function benchRuntime(
  table: string,
  parts: Partial<Runtime> = {},
  doc: ReturnType<typeof documentClientOf> = benchDocumentClient(),
): Runtime & { store: DynamoStore } {
  const env = { ...process.env, TABLE_NAME: table };
  const store = storeOf(env, new SecretReader(env), doc);
  // The runtime's store is a getter (built when first used): the one given here is what it returns.
  return runtimeOf(env, { ...outsideParts(env, ["notifier", "files", "exports"]), ...parts, store }) as Runtime & {
    store: DynamoStore;
  };
}

/** The DynamoDB client of this process's environment (DynamoDB Local), for the raw baselines. */
export const benchDocumentClient = () => documentClientOf(process.env);
