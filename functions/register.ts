import { readPepperFromSecretsManager } from "../shared/adapters/pepper-secrets-manager.ts";
import { registerRoutes } from "../shared/api/register.ts";
import { createApiHandler } from "../shared/http/http.ts";

// This function looks pupils up by personnummer: its HMAC key comes from Secrets Manager at cold start.
await readPepperFromSecretsManager();

export const handler = createApiHandler("register", registerRoutes);
