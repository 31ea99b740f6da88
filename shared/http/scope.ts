/** The scope checks live with the use cases (`app/scope.ts`); what only a route says is here. */
export * from "../app/scope.ts";

/** PUT answers 201 when it created and 200 when it replaced. */
export const putStatus = ({ replaced }: { replaced: boolean }) => (replaced ? (200 as const) : (201 as const));
