/** The hand-run sweep over HTTP: the route calls its use case (hand-sweep.ts). */
import { bodyOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { sweepBy } from "./hand-sweep.ts";

export const sweepRoutes = {
  "POST /v1/municipalities/{kommunkod}/sweeps": async (ctx) => ({
    status: 200,
    body: await sweepBy(ctx, { kommunkod: ctx.params.kommunkod ?? "", ...bodyOf(ctx, schemas.SweepBody) }),
  }),
} satisfies Partial<RouteHandlers<"cases">>;
