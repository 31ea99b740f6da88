import { schoolRoutes } from "../shared/api/schools.ts";
import { createApiHandler } from "../shared/http.ts";
import { readPepperFromSecretsManager } from "../shared/pepper-secrets-manager.ts";

// This function looks pupils up by personnummer: its HMAC key comes from Secrets Manager at cold start.
readPepperFromSecretsManager();

export const handler = createApiHandler("schools", schoolRoutes);
