/** The security headers of every API answer (errors too): nothing may be loaded, framed or downgraded. */
import httpSecurityHeaders from "@middy/http-security-headers";

export const apiSecurityHeaders = () =>
  httpSecurityHeaders({
    contentSecurityPolicy: { "default-src": "'none'", "frame-ancestors": "'none'" },
    strictTransportSecurity: { maxAge: 63072000, includeSubDomains: true, preload: false },
  });
