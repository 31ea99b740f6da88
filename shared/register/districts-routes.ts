/** A municipality's district names (register/districts.ts): the office writes them, it and social services read them. */
import { bodyOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { putStatus } from "../http/scope.ts";
import { districtsOf, saveDistricts } from "./districts.ts";

export const districtRoutes = {
  "PUT /v1/municipalities/{kommunkod}/districts": async (ctx) => {
    const r = await saveDistricts(ctx, { kommunkod: ctx.params.kommunkod ?? "", ...bodyOf(ctx, schemas.DistrictsBody) });
    return { status: putStatus(r), body: { districts: r.districts } };
  },

  "GET /v1/municipalities/{kommunkod}/districts": async (ctx) => ({
    status: 200,
    body: await districtsOf(ctx, { kommunkod: ctx.params.kommunkod ?? "" }),
  }),
} satisfies Partial<RouteHandlers<"register">>;
