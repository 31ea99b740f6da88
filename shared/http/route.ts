/** One route of the HTTP API, as the route table declares it (shared/http/routes.ts). */
import type { Principal } from "../domain/principals.ts";
import type * as z from "./zod.ts";

export type FunctionName = "admin" | "register" | "schools" | "pupils" | "cases" | "docs";

export interface RouteDef {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  fn: FunctionName;
  principals: Principal["kind"][] | "public";
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  responses: Partial<Record<number, z.ZodMiniType>>;
}

export const route = <
  const K extends string,
  const F extends FunctionName,
  const R extends Partial<Record<number, z.ZodMiniType>>,
>(
  key: K,
  def: Omit<RouteDef, "method" | "path" | "fn" | "responses"> & { fn: F; responses: R },
) => {
  const [method, path] = key.split(" ") as [RouteDef["method"], string];
  return [key, { ...def, method, path }] as const;
};
